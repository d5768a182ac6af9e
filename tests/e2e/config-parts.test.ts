import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STACK_DIR, AppProcess, startApp, stopApp, waitReady } from '@ish/test-support';

/** spare ports, away from the suite's apps (18001…18012) and the other start-up tests (18094, 18095) */
const RELAY_PORT = 18096;
const WORKER_PORT = 18097;

/** what `app` writes to its log from now on, once it exited (or after 30 s) */
async function exitAndLog(app: AppProcess, logBefore: number): Promise<{ code: number | null; written: string }> {
  const timer = setTimeout(() => void stopApp(app), 30_000);
  try {
    const code = await app.exited;
    return { code, written: readFileSync(resolve(STACK_DIR, 'logs', `${app.service}-${app.port}.log`), 'utf8').slice(logBefore) };
  } finally {
    clearTimeout(timer);
  }
}

function logLength(service: string, port: number): number {
  return readFileSync(resolve(STACK_DIR, 'logs', `${service}-${port}.log`), { encoding: 'utf8', flag: 'a+' }).length;
}

describe('config checked once, by parts', () => {
  it('stops the built relay at start with one error naming every bad variable of every part', async () => {
    const before = logLength('relay', RELAY_PORT);
    // PlatformConfig, AuthGuardConfig, RelayCoreConfig and the relay's own part, one bad variable each
    const app = startApp('relay', { port: RELAY_PORT, env: { LOG_LEVEL: 'loud', JWT_KEYS: 'k1:short', RELAY_MAX_ATTEMPTS: '0', MAX_CHOICES: 'many' } });
    const { code, written } = await exitAndLog(app, before);
    expect(code).toBe(1);
    const [error] = written.split(/\n(?=\S)/).filter((block) => block.startsWith('relay: Invalid configuration'));
    for (const variable of ['LOG_LEVEL', 'JWT_KEYS', 'RELAY_MAX_ATTEMPTS', 'MAX_CHOICES']) expect(error).toMatch(new RegExp(`\\n  ${variable}: `));
    // checked before anything started: no module came up, nothing listened, no stack trace
    expect(written).not.toMatch(/listening on|dependencies initialized|\n\s+at /);
  });

  it('starts the worker without the variables of parts it does not list (JWT_KEYS, HEALTH_TARGETS, RATE_LIMIT_PER_MINUTE)', async () => {
    const app = startApp('worker', { port: WORKER_PORT, env: { JWT_KEYS: '', HEALTH_TARGETS: 'not a list', RATE_LIMIT_PER_MINUTE: 'many', AUTH_RATE_LIMIT_PER_MINUTE: '-1' } });
    try {
      await waitReady(app);
    } finally {
      expect(await stopApp(app)).toBe(0);
    }
  });
});

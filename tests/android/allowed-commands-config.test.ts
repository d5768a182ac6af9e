import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceName } from '@ish/contracts';
import { STACK_DIR, startApp, stopApp } from '@ish/test-support';

/** spare ports, away from the suite's apps (18001…18012) */
const PORTS: Partial<Record<ServiceName, number>> = { 'android-bridge': 18094, worker: 18095 };

describe('ANDROID_ALLOWED_COMMANDS naming a program that runs other programs', () => {
  it.each(['android-bridge', 'worker'] as const)('stops the built %s at start, naming the variable and the program', async (service) => {
    const port = PORTS[service] as number;
    const log = resolve(STACK_DIR, 'logs', `${service}-${port}.log`);
    const logBefore = readFileSync(log, { encoding: 'utf8', flag: 'a+' }).length;
    const app = startApp(service, { port, env: { ANDROID_ALLOWED_COMMANDS: 'getprop,echo,sh' } });
    const timer = setTimeout(() => void stopApp(app), 30_000);
    try {
      expect(await app.exited).toBe(1);
    } finally {
      clearTimeout(timer);
    }
    const written = readFileSync(log, 'utf8').slice(logBefore);
    expect(written).toMatch(/ANDROID_ALLOWED_COMMANDS: .*must not name programs that run other programs \(sh\)/);
    // checked before anything started (the worker's adb part too): no module came up, nothing listened, no stack trace
    expect(written).not.toMatch(/listening on|dependencies initialized|\n\s+at /);
  });
});

// `ish top` in a real terminal (a tmux pane on a private tmux server) against the test system: it
// draws on the alternate screen, its figures move while calls run, and q or Ctrl-C ends it with exit
// code 0 and the terminal restored (normal screen, cursor shown). A text capture of the screen is
// left in test-artifacts/cli/ish-top.txt.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_URL, REPO_ROOT, addSimInstance, api, signUpOperator, SimInstance, testSecrets, waitFor, waitForModel } from '@ish/test-support';

const CLI = resolve(REPO_ROOT, 'dist/tools/cli/src/main.js');
const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts/cli');
const RUN = Date.now().toString(36);
const SIM_NAME = `top-sim-${RUN}`;
const MODEL = `top-${RUN}`;
// a tmux server of this test's own, so that no other tmux session is touched
const SOCKET = `ish-top-test-${process.pid}`;
const SESSION = 'top';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm-256color' } });
}

/** The pane as the user sees it now, as text. */
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
/** tmux's view of the pane's terminal state: `alternate screen on / cursor shown`. */
const terminalState = () => tmux('display-message', '-p', '-t', SESSION, '#{alternate_on} #{cursor_flag}').trim();

/** Sends `key` to the pane and waits for `ish top` to end: exit code 0, normal screen back, cursor shown. Answers the screen then. */
async function pressAndExit(key: string): Promise<string> {
  tmux('send-keys', '-t', SESSION, key);
  const after = await waitFor('ish top to exit', async () => {
    const text = screen();
    return text.includes('ish exited:') && text;
  }, 5000, 100);
  expect(after).toMatch(/^ish exited: 0$/m);
  expect(terminalState()).toBe('0 1');
  return after;
}

/** Starts `ish top` in a 110×50 pane; after it ends, the shell prints its exit code and waits, so the pane can be read. */
function startTop(): void {
  const env = `ISH_API_KEY=${testSecrets().adminApiKey} ISH_GATEWAY_URL=${GATEWAY_URL}`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '110', '-y', '50', `env ${env} ${process.execPath} ${CLI} top; echo "ish exited: $?"; sleep 60`);
}

function requestsLine(text: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith('REQUESTS'));
}

describe('ish top in a terminal', () => {
  let sim: SimInstance;
  let operator: Awaited<ReturnType<typeof signUpOperator>>;

  beforeAll(async () => {
    operator = await signUpOperator('top');
    sim = await addSimInstance(SIM_NAME, { models: [MODEL], latencyMs: 50 });
    await waitForModel(MODEL);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(() => {
    try {
      tmux('kill-server');
    } catch {
      // the server is gone already
    }
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('shows live figures that move under load, and q quits with exit code 0 and the terminal restored', async () => {
    startTop();
    const first = await waitFor('the first frame with figures', async () => {
      const text = screen();
      return text.includes(SIM_NAME) && requestsLine(text) && text;
    }, 15_000, 200);
    expect(terminalState()).toBe('1 0');
    expect(first).toMatch(/ISH Chat · top .* every 2 s · q quits/);
    expect(first).toMatch(/^Requests per second \(last \d+ s\)$/m);
    expect(first).toMatch(/^p95 latency, ms \(last \d+ s\)$/m);
    expect(first).toMatch(/^Error rate {2}[▁-█]+ \d+\.\d%$/m);
    expect(first).toMatch(new RegExp(`^ {2}${SIM_NAME}\\s+openai-compatible\\s+healthy\\s+closed\\s+\\d+$`, 'm'));
    for (const queue of ['ai', 'adb', 'webhooks']) expect(first).toMatch(new RegExp(`^ {2}${queue}\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+$`, 'm'));
    expect(first).toMatch(/spend today \$\d+\.\d+/);
    const before = requestsLine(first)!;

    // load while it runs: the request line and the charts change on a later refresh
    const calls = await Promise.all(Array.from({ length: 12 }, (_, i) => api('POST', '/api/v1/relay', { token: operator.accessToken, body: { message: `top ${i}`, model: MODEL } })));
    for (const call of calls) expect(call.status).toBe(200);
    const loaded = await waitFor('figures that moved', async () => {
      const text = screen();
      const line = requestsLine(text);
      return line !== undefined && line !== before && /last 60 s: (?!0\.00\/s)/.test(line) && text;
    }, 10_000, 250);
    expect(Number(/ (\d+) calls/.exec(requestsLine(loaded)!)?.[1])).toBeGreaterThanOrEqual(12);
    writeFileSync(resolve(ARTIFACTS, 'ish-top.txt'), loaded.trimEnd() + '\n');

    const after = await pressAndExit('q');
    // back on the normal screen, cursor shown, and the dashboard left no trace there
    expect(after).not.toContain('REQUESTS');
  }, 60_000);

  it('Ctrl-C also ends it with exit code 0 and the terminal restored', async () => {
    startTop();
    await waitFor('the first frame', async () => requestsLine(screen()) !== undefined, 15_000, 200);
    await pressAndExit('C-c');
  }, 30_000);
});

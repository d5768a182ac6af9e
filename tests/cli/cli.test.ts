import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { InstanceView } from '@ish/contracts';
import { GATEWAY_URL, REPO_ROOT, testSecrets, api, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';

// the built CLI, run as users run it (npm run build first)
const CLI = resolve(REPO_ROOT, 'dist/tools/cli/src/main.js');
const SIM_NAME = 'cli-sim';
const SIM_MODEL = 'cli-sim-model';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds after start at which each piece of stdout arrived. */
  stdoutArrivals: number[];
}

function runCli(args: string[], env: Record<string, string | undefined>, options: { stopAfterMs?: number } = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    const run: CliRun = { code: null, stdout: '', stderr: '', stdoutArrivals: [] };
    child.stdout.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString();
      run.stdoutArrivals.push(Date.now() - started);
    });
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), options.stopAfterMs ?? 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ...run, code });
    });
  });
}

describe('ish CLI against the running system', () => {
  let sim: SimInstance;
  const env = () => ({ ISH_GATEWAY_URL: GATEWAY_URL, ISH_API_KEY: testSecrets().adminApiKey });

  beforeAll(async () => {
    sim = await addSimInstance(SIM_NAME, { models: [SIM_MODEL], streamChunkDelayMs: 150 });
    await waitFor(`${SIM_NAME} to be probed healthy`, async () => {
      const view = await api<InstanceView>('GET', `/api/v1/instances/${sim.id}`, { token: testSecrets().adminApiKey });
      return view.body.status === 'healthy';
    }, 10_000);
    await waitForModel(SIM_MODEL);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('status prints every service up, the instance by name as healthy, and the depth of every queue', async () => {
    const health = await api<{ services: Record<string, string> }>('GET', '/api/v1/health');
    const run = await runCli(['status'], env());

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const service of Object.keys(health.body.services)) expect(run.stdout).toMatch(new RegExp(`^ {2}${service}\\s+up$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ {2}${SIM_NAME}\\s+openai-compatible\\s+healthy\\s+closed\\s+\\d+\\s+\\d+ ms$`, 'm'));
    expect(run.stdout).toMatch(/INSTANCES {2}\d+ total · openai-compatible \d+\/\d+ healthy/);
    expect(run.stdout).toMatch(/^DEVICES$/m);
    expect(run.stdout).toMatch(/^QUEUES\n {2}QUEUE\s+WAITING\s+ACTIVE\s+DELAYED\s+FAILED$/m);
    for (const queue of ['ai', 'adb', 'webhooks']) expect(run.stdout).toMatch(new RegExp(`^ {2}${queue}\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+$`, 'm'));
  });

  it('status --watch clears the screen and redraws every 2 seconds', async () => {
    const run = await runCli(['status', '--watch'], env(), { stopAfterMs: 3000 });
    expect(run.stdout.split('\x1b[2J\x1b[H').filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(run.stdout).toContain(SIM_NAME);
  });

  it('chat streams the reply of the chosen model token by token', async () => {
    const run = await runCli(['chat', 'hello cli', '--model', SIM_MODEL], env());

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('hello cli');
    expect(run.stdout).toContain(`[provider-sim ${SIM_NAME}]`);
    // the sim waits 150 ms between chunks: a streamed reply arrives in pieces, not at once at the end
    expect(run.stdoutArrivals.length).toBeGreaterThanOrEqual(2);
    expect(run.stdoutArrivals[run.stdoutArrivals.length - 1] - run.stdoutArrivals[0]).toBeGreaterThanOrEqual(150);
  });

  it('a missing ISH_API_KEY exits 1 with a message naming the variable', async () => {
    for (const args of [['status'], ['chat', 'hi']]) {
      const run = await runCli(args, { ISH_GATEWAY_URL: GATEWAY_URL });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim()).toMatch(/^ish: ISH_API_KEY is not set/);
    }
  });

  it('an API error is one readable line and exit code 1', async () => {
    for (const args of [['status'], ['chat', 'hi']]) {
      const run = await runCli(args, { ISH_GATEWAY_URL: GATEWAY_URL, ISH_API_KEY: 'ish_not_a_real_key' });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ish: .*401 authentication_error.*: .+/)]);
    }
  });

  it('an unknown model is reported as the API error, not a stack trace', async () => {
    const run = await runCli(['chat', 'hi', '--model', 'no-such-model-anywhere'], env());
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^ish: \d{3} \w+_error/);
  });
});

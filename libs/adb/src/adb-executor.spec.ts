import { Logger } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { ApiError } from '@ish/platform';
import { AdbExecutor, AdbHost, ExecutionActor } from './adb-executor';
import { CommandPolicy } from './command-policy';
import { DeviceLock } from './device-lock';
import { EXIT_MARKER } from './exit-status';
import type { ExecutionRecord } from './execution-audit-sink';
import { memoryLockStore } from './lock-store';
import { PNG_SIGNATURE } from './png';

type Reply = { output: Buffer | string; delayMs?: number; hang?: boolean };

/** A fake adb server: devices by state, and a scripted reply per shell command line. */
class FakeHost implements AdbHost {
  readonly lines: string[] = [];
  readonly streams: PassThrough[] = [];
  active = 0;
  maxActive = 0;
  constructor(
    public devices: { id: string; type: string }[],
    private readonly reply: (line: string) => Reply,
  ) {}
  async listDevices() {
    return this.devices;
  }
  getDevice(serial: string) {
    return {
      shell: async (line: string) => {
        if (!this.devices.some((d) => d.id === serial)) throw new Error(`Failure: device '${serial}' not found`);
        this.lines.push(line);
        const stream = new PassThrough();
        this.streams.push(stream);
        this.active++;
        this.maxActive = Math.max(this.maxActive, this.active);
        stream.once('close', () => this.active--);
        const { output, delayMs = 0, hang } = this.reply(line);
        setTimeout(() => {
          if (stream.destroyed) return;
          stream.write(output);
          if (!hang) stream.end();
          if (!hang) setImmediate(() => stream.destroy());
        }, delayMs);
        return stream;
      },
    };
  }
}

const actor: ExecutionActor = { userId: '00000000-0000-4000-8000-000000000001', credentialId: 'key-1', mode: 'sync' };
const limits = { maxOutputBytes: 64, maxScreenshotBytes: 1024, defaultTimeoutMs: 1000, lockWaitMs: 2000 };

function setup(reply: (line: string) => Reply, devices = [{ id: 'dev1', type: 'device' }]) {
  const host = new FakeHost(devices, reply);
  const audit: ExecutionRecord[] = [];
  const executor = new AdbExecutor(host, new DeviceLock(memoryLockStore()), new CommandPolicy({ allowedCommands: ['echo', 'getprop', 'screencap'], maxArgs: 4 }), { record: async (e) => void audit.push(e) }, limits);
  return { host, audit, executor };
}

const ok = (stdout: string, code = 0): Reply => ({ output: `${stdout}${EXIT_MARKER}${code}\n` });

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('AdbExecutor.execute', () => {
  it('sends the quoted command with the exit trailer and returns output and exit code', async () => {
    const { host, audit, executor } = setup(() => ok('a; reboot\n'));
    const result = await executor.execute({ serial: 'dev1', command: 'echo', args: ['a; reboot'] }, actor);
    expect(host.lines).toEqual([`'echo' 'a; reboot'; echo "${EXIT_MARKER}$?"`]);
    expect(result).toEqual({ serial: 'dev1', command: 'echo', args: ['a; reboot'], exitCode: 0, stdout: 'a; reboot\n', durationMs: expect.any(Number) });
    expect(audit).toEqual([
      expect.objectContaining({ userId: actor.userId, credentialId: 'key-1', serial: 'dev1', command: 'echo', args: ['a; reboot'], exitCode: 0, bytesOut: 10, outcome: 'completed', mode: 'sync', errorCode: null }),
    ]);
  });

  it('returns a non-zero exit code as a result, not an error', async () => {
    const { executor } = setup(() => ok('/system/bin/sh: getprop: oops\n', 127));
    await expect(executor.execute({ serial: 'dev1', command: 'getprop' }, actor)).resolves.toMatchObject({ exitCode: 127, args: [] });
  });

  it.each([
    ['a command off the allow-list', { serial: 'dev1', command: 'reboot' }, 400, 'command_not_allowed'],
    ['an empty command', { serial: 'dev1', command: '' }, 400, 'command_required'],
    ['too many arguments', { serial: 'dev1', command: 'echo', args: ['1', '2', '3', '4', '5'] }, 400, 'too_many_args'],
    ['an unknown device', { serial: 'nope', command: 'echo' }, 404, 'device_not_found'],
    ['an unauthorized device', { serial: 'locked', command: 'echo' }, 409, 'device_not_ready'],
    ['an offline device', { serial: 'gone', command: 'echo' }, 409, 'device_not_ready'],
  ])('refuses %s, sends nothing and audits the refusal', async (_what, request, status, code) => {
    const devices = [
      { id: 'dev1', type: 'device' },
      { id: 'locked', type: 'unauthorized' },
      { id: 'gone', type: 'offline' },
    ];
    const { host, audit, executor } = setup(() => ok(''), devices);
    const error = await apiError(executor.execute(request, actor));
    expect([error.getStatus(), error.code]).toEqual([status, code]);
    expect(host.lines).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'rejected', errorCode: code, exitCode: null })]);
  });

  it('says which state a not-ready device is in', async () => {
    const { executor } = setup(() => ok(''), [{ id: 'locked', type: 'unauthorized' }]);
    expect((await apiError(executor.execute({ serial: 'locked', command: 'echo' }, actor))).details).toEqual([{ field: 'state', message: 'unauthorized' }]);
  });

  it('cuts output at the cap, stops the command and says so', async () => {
    const { host, audit, executor } = setup(() => ({ output: 'x'.repeat(500), hang: true }));
    const result = await executor.execute({ serial: 'dev1', command: 'echo' }, actor);
    expect(result).toMatchObject({ exitCode: null, truncated: true });
    expect(result.stdout).toHaveLength(limits.maxOutputBytes);
    expect(host.streams[0].destroyed).toBe(true);
    expect(audit[0]).toMatchObject({ outcome: 'truncated', bytesOut: limits.maxOutputBytes });
  });

  it('stops a command at its timeout with 504 and closes the session', async () => {
    const { host, audit, executor } = setup(() => ({ output: 'started\n', hang: true }));
    const error = await apiError(executor.execute({ serial: 'dev1', command: 'echo', timeoutMs: 50 }, actor));
    expect([error.getStatus(), error.type, error.code]).toEqual([504, 'upstream_error', 'command_timeout']);
    expect(host.streams[0].destroyed).toBe(true);
    expect(audit[0]).toMatchObject({ outcome: 'timeout', errorCode: 'command_timeout' });
    expect(audit[0].durationMs).toBeGreaterThanOrEqual(45);
  });

  it('runs commands on one device one at a time, and on two devices at once', async () => {
    const devices = [
      { id: 'dev1', type: 'device' },
      { id: 'dev2', type: 'device' },
    ];
    const { host, executor } = setup(() => ({ ...ok('x'), delayMs: 10 }), devices);
    await Promise.all(Array.from({ length: 8 }, () => executor.execute({ serial: 'dev1', command: 'echo' }, actor)));
    expect(host.maxActive).toBe(1);
    host.maxActive = 0;
    await Promise.all(['dev1', 'dev2'].map((serial) => executor.execute({ serial, command: 'echo' }, actor)));
    expect(host.maxActive).toBe(2);
  });

  it('answers even when the audit store fails', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const host = new FakeHost([{ id: 'dev1', type: 'device' }], () => ok('fine\n'));
    const executor = new AdbExecutor(host, new DeviceLock(memoryLockStore()), new CommandPolicy({ allowedCommands: ['echo'], maxArgs: 4 }), { record: () => Promise.reject(new Error('db down')) }, limits);
    await expect(executor.execute({ serial: 'dev1', command: 'echo' }, actor)).resolves.toMatchObject({ stdout: 'fine\n' });
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ audit: expect.objectContaining({ outcome: 'completed' }) }), 'could not write the adb audit record');
    logged.mockRestore();
  });

  it('preflight refuses like execute and sends nothing', async () => {
    const { host, audit, executor } = setup(() => ok(''));
    await expect(executor.preflight({ serial: 'dev1', command: 'echo', args: ['fine'] }, { ...actor, mode: 'async' })).resolves.toBeUndefined();
    expect((await apiError(executor.preflight({ serial: 'dev1', command: 'reboot' }, { ...actor, mode: 'async' }))).code).toBe('command_not_allowed');
    expect(host.lines).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'rejected', mode: 'async' })]);
  });
});

describe('AdbExecutor.screenshot', () => {
  const png = Buffer.concat([PNG_SIGNATURE, Buffer.from('IHDR-and-the-rest')]);

  it('returns the PNG screencap printed', async () => {
    const { host, audit, executor } = setup(() => ({ output: Buffer.concat([png, Buffer.from(`${EXIT_MARKER}0\n`)]) }));
    expect((await executor.screenshot('dev1', actor)).equals(png)).toBe(true);
    expect(host.lines).toEqual([`'screencap' '-p'; echo "${EXIT_MARKER}$?"`]);
    expect(audit[0]).toMatchObject({ command: 'screencap', args: ['-p'], outcome: 'completed', bytesOut: png.length });
  });

  it('fails with 502 when no PNG came back', async () => {
    const { executor } = setup(() => ok('screencap: not found\n', 127));
    const error = await apiError(executor.screenshot('dev1', actor));
    expect([error.getStatus(), error.code]).toEqual([502, 'screenshot_failed']);
  });
});

describe('AdbExecutor.readText', () => {
  it('runs a command of the service without the allow-list', async () => {
    const { host, audit, executor } = setup(() => ok('Current Battery Service state:\n  level: 50\n'));
    await expect(executor.readText('dev1', 'dumpsys', ['battery'], { timeoutMs: 500, lockWaitMs: 100 })).resolves.toEqual({
      stdout: 'Current Battery Service state:\n  level: 50\n',
      exitCode: 0,
    });
    expect(host.lines[0]).toBe(`'dumpsys' 'battery'; echo "${EXIT_MARKER}$?"`);
    expect(audit).toEqual([]);
  });
});

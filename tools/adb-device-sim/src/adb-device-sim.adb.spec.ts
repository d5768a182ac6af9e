// End-to-end against the REAL adb server (Debian package `adb`): it connects to two simulated
// devices over TCP and drives them with the adb command line, exactly as the ISH bridge will.
// The server runs on its own free port with its own HOME (keys), and is killed afterwards.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdbDeviceSim, startAdbDeviceSim } from './adb-device-sim';
import { readPngChunks } from './png';
import { freePort } from './free-port';

const adbInstalled = spawnSync('adb', ['version'], { stdio: 'ignore' }).status === 0;
if (!adbInstalled) {
  console.warn('SKIPPED real-adb tests: `adb` is not installed (Debian: apt-get install -y adb)');
}
const describeWithAdb = adbInstalled ? describe : describe.skip;

interface AdbResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

describeWithAdb('real adb server against the simulator', () => {
  let serverPort = 0;
  let home = '';
  let device: AdbDeviceSim;
  let locked: AdbDeviceSim;

  const adb = (...args: string[]): Promise<AdbResult> =>
    new Promise((resolve) => {
      execFile(
        'adb',
        ['-P', String(serverPort), ...args],
        { encoding: 'buffer', timeout: 15_000, maxBuffer: 16 << 20, env: { ...process.env, HOME: home, ANDROID_ADB_SERVER_PORT: String(serverPort), ADB_VENDOR_KEYS: '' } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr: stderr.toString() });
        },
      );
    });

  /** `adb devices -l`, polled until `done` holds (the state settles asynchronously after connect). */
  async function devicesUntil(done: (listing: string) => boolean): Promise<string> {
    let listing = '';
    for (let i = 0; i < 50; i++) {
      listing = (await adb('devices', '-l')).stdout.toString();
      if (done(listing)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return listing;
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'adb-sim-home-'));
    serverPort = await freePort();
    device = await startAdbDeviceSim({ mode: 'device', model: 'ISH Sim Pixel', commandDelayMs: 100 });
    locked = await startAdbDeviceSim({ mode: 'unauthorized' });
    const started = await adb('start-server');
    if (started.code !== 0) throw new Error(`adb start-server failed: ${started.stderr}`);
  }, 20_000);

  afterAll(async () => {
    if (serverPort) await adb('kill-server');
    await Promise.all([device?.close(), locked?.close()]);
    if (home) rmSync(home, { recursive: true, force: true });
  }, 20_000);

  it('connects both and lists one as `device` (with model) and one as `unauthorized`', async () => {
    expect((await adb('connect', device.serial)).stdout.toString()).toContain(`connected to ${device.serial}`);
    await adb('connect', locked.serial); // adb reports "failed to authenticate" but keeps the transport
    const escape = (s: string): string => s.replace(/[.]/g, '\\.');
    const deviceLine = new RegExp(`^${escape(device.serial)}\\s+device\\s+product:ish_sim model:ISH_Sim_Pixel device:ishsim\\b`, 'm');
    const lockedLine = new RegExp(`^${escape(locked.serial)}\\s+unauthorized\\b`, 'm');
    const listing = await devicesUntil((text) => deviceLine.test(text) && lockedLine.test(text));
    console.log(`adb devices -l:\n${listing}`);
    expect(listing).toMatch(deviceLine);
    expect(listing).toMatch(lockedLine);
    expect(locked.stats().authPublicKeys + locked.stats().authSignatures).toBeGreaterThan(0);
  });

  it('shell getprop ro.product.model', async () => {
    const result = await adb('-s', device.serial, 'shell', 'getprop ro.product.model');
    expect([result.code, result.stdout.toString()]).toEqual([0, 'ISH Sim Pixel\n']);
    expect(device.stats().services.at(-1)).toMatch(/^shell,v2,.*raw:getprop ro\.product\.model$/);
  });

  it('quoting: a quoted `;` is printed, an unquoted one runs a second command', async () => {
    device.resetStats();
    const quoted = await adb('-s', device.serial, 'shell', "echo 'a; reboot'");
    expect(quoted.stdout.toString()).toBe('a; reboot\n');
    expect(device.stats().reboots).toBe(0);
    const unquoted = await adb('-s', device.serial, 'shell', 'echo a; reboot');
    expect(unquoted.stdout.toString()).toBe('a\n');
    expect(device.stats().reboots).toBe(1);
    expect(device.stats().commands.map((c) => c.argv)).toEqual([['echo', 'a; reboot'], ['echo', 'a'], ['reboot']]);
  });

  it("passes the exit status through shell v2: 'echo hi; exit 3' exits 3", async () => {
    const result = await adb('-s', device.serial, 'shell', 'echo hi; exit 3');
    expect([result.code, result.stdout.toString()]).toEqual([3, 'hi\n']);
    const unknown = await adb('-s', device.serial, 'shell', 'frobnicate');
    expect(unknown.code).toBe(127);
    expect(unknown.stderr).toContain('/system/bin/sh: frobnicate: inaccessible or not found');
  });

  it('exec-out screencap -p returns PNG bytes', async () => {
    const result = await adb('-s', device.serial, 'exec-out', 'screencap -p');
    expect(result.code).toBe(0);
    const chunks = readPngChunks(result.stdout);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    expect([chunks[0].data.readUInt32BE(0), chunks[0].data.readUInt32BE(4)]).toEqual([64, 128]);
  });

  it('legacy shell (v1, what adbkit uses) via `shell -x` and via host:transport on the smart socket', async () => {
    const legacy = await adb('-s', device.serial, 'shell', '-x', 'dumpsys battery | grep level');
    expect(legacy.stdout.toString()).toBe('  level: 87\n');
    expect(device.stats().services.at(-1)).toBe('shell:dumpsys battery | grep level');

    // adbkit talks to the adb server: "<hex4>host:transport:<serial>", OKAY, "<hex4>shell:<cmd>", OKAY, then raw output
    const output = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(serverPort, '127.0.0.1');
      const request = (text: string): void => {
        socket.write(`${text.length.toString(16).padStart(4, '0')}${text}`);
      };
      let buffer = Buffer.alloc(0);
      let okays = 0;
      socket.on('connect', () => request(`host:transport:${device.serial}`));
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (okays < 2 && buffer.length >= 4) {
          const status = buffer.subarray(0, 4).toString();
          buffer = buffer.subarray(4);
          if (status !== 'OKAY') {
            socket.destroy();
            reject(new Error(`adb server said ${status}${buffer.toString()}`));
            return;
          }
          if (++okays === 1) request('shell:echo && screencap -p 2>/dev/null');
        }
      });
      socket.on('end', () => resolve(buffer));
      socket.on('error', reject);
    });
    expect(output.subarray(0, 1).toString()).toBe('\n');
    expect(readPngChunks(output.subarray(1)).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('records concurrent shells: parallel adb shells overlap, sequential ones do not', async () => {
    device.resetStats();
    await Promise.all([1, 2, 3, 4].map((i) => adb('-s', device.serial, 'shell', `echo ${i}`)));
    expect(device.stats().maxConcurrentShells).toBeGreaterThan(1);
    device.resetStats();
    for (const i of [1, 2, 3]) await adb('-s', device.serial, 'shell', `echo ${i}`);
    const stats = device.stats();
    expect(stats.maxConcurrentShells).toBe(1);
    const sorted = [...stats.commands].sort((a, b) => a.startedAt - b.startedAt);
    sorted.slice(1).forEach((command, i) => expect(command.startedAt).toBeGreaterThanOrEqual(sorted[i].endedAt!));
  });

  it('refuses to run anything on the unauthorized device', async () => {
    const result = await adb('-s', locked.serial, 'shell', 'echo hi');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unauthorized/);
    expect(locked.stats().shellsStarted).toBe(0);
  });
});

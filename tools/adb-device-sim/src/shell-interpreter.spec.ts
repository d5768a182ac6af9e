import { DeviceProfile, DeviceState } from './device-state';
import { readPngChunks } from './png';
import { SimulatedShell } from './shell-interpreter';

const PROFILE: DeviceProfile = {
  model: 'ISH Sim Pixel',
  product: 'ish_sim',
  device: 'ishsim',
  manufacturer: 'ISH',
  sdk: 34,
  release: '14',
  serialno: 'ISHSIM0001',
  batteryLevel: 87,
  screenWidth: 1080,
  screenHeight: 2400,
  screenshotWidth: 64,
  screenshotHeight: 128,
};

interface Run {
  stdout: string;
  stderr: string;
  raw: Buffer;
  code: number;
  argv: string[][];
}

async function run(script: string, options: { device?: DeviceState; signal?: AbortSignal; commandDelayMs?: number } = {}): Promise<Run> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const argv: string[][] = [];
  const shell = new SimulatedShell({
    device: options.device ?? new DeviceState(PROFILE),
    signal: options.signal ?? new AbortController().signal,
    commandDelayMs: options.commandDelayMs,
    onCommand: (args) => {
      argv.push(args);
      return () => undefined;
    },
  });
  const toBuf = (d: string | Buffer): Buffer => (typeof d === 'string' ? Buffer.from(d) : d);
  const code = await shell.run(script, { stdin: Buffer.alloc(0), stdout: (d) => out.push(toBuf(d)), stderr: (d) => err.push(toBuf(d)) });
  const raw = Buffer.concat(out);
  return { stdout: raw.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), raw, code, argv };
}

describe('simulated shell: quoting reaches the device as a real sh would see it', () => {
  it('runs both commands of an unquoted `;` and records the reboot attempt', async () => {
    const r = await run('echo a; reboot');
    expect(r.stdout).toBe('a\n');
    expect(r.argv).toEqual([['echo', 'a'], ['reboot']]);
  });

  it('prints a quoted `;` literally and runs nothing else', async () => {
    for (const script of ["echo 'a; reboot'", 'echo "a; reboot"', 'echo a\\;\\ reboot']) {
      const r = await run(script);
      expect(r.stdout).toBe('a; reboot\n');
      expect(r.argv).toEqual([['echo', 'a; reboot']]);
    }
  });

  it('executes unquoted and double-quoted substitutions, but not single-quoted ones', async () => {
    expect((await run('echo $(reboot)x')).argv).toEqual([['reboot'], ['echo', 'x']]);
    expect((await run('echo `reboot`')).argv).toEqual([['reboot'], ['echo']]);
    expect((await run('echo "$(reboot)"')).argv).toEqual([['reboot'], ['echo', '']]);
    expect((await run("echo '$(reboot)' '`reboot`'")).stdout).toBe('$(reboot) `reboot`\n');
  });

  it('splits unquoted substitution output into fields but keeps quoted output whole', async () => {
    expect((await run('echo $(echo "a   b")')).argv.at(-1)).toEqual(['echo', 'a', 'b']);
    expect((await run('echo "$(echo "a   b")"')).stdout).toBe('a   b\n');
    expect((await run('echo $(getprop ro.product.model)')).stdout).toBe('ISH Sim Pixel\n');
  });

  it('honours && || and newlines', async () => {
    expect((await run('false && reboot || echo no')).argv).toEqual([['false'], ['echo', 'no']]);
    expect((await run('true && echo yes')).stdout).toBe('yes\n');
    expect((await run('echo a\necho b')).stdout).toBe('a\nb\n');
    expect((await run('! false')).code).toBe(0);
  });

  it('pipes, redirects and variables', async () => {
    expect((await run('getprop | grep product.model')).stdout).toBe('[ro.product.model]: [ISH Sim Pixel]\n');
    expect((await run('pm list packages | grep -c android')).stdout).toBe('8\n');
    const device = new DeviceState(PROFILE);
    expect((await run('echo saved > /data/local/tmp/x; cat /data/local/tmp/x; ls /data/local/tmp', { device })).stdout).toBe('saved\nx\n');
    const silent = await run('nosuch 2>/dev/null; echo $?');
    expect([silent.stdout, silent.stderr]).toEqual(['127\n', '']);
    const merged = await run('nosuch 2>&1');
    expect(merged.stdout).toContain('inaccessible or not found');
    expect((await run('A="x y"; echo "$A" ${A}!')).stdout).toBe('x y x y!\n');
    expect((await run('(cd /sdcard; pwd); pwd')).stdout).toBe('/sdcard\n/\n');
    expect((await run('ls /sdcard | head -n 2; ls /sdcard | tail -1; pm list packages | wc -l')).stdout).toBe('Alarms\nDCIM\nRingtones\n8\n');
  });
});

describe('simulated shell: commands', () => {
  it('getprop lists all props and single keys', async () => {
    const all = await run('getprop');
    expect(all.stdout).toContain('[ro.product.model]: [ISH Sim Pixel]\n');
    expect(all.stdout.split('\n').filter(Boolean).every((line) => /^\[[^\]]+\]: \[.*\]$/.test(line))).toBe(true);
    for (const [key, value] of [
      ['ro.product.model', 'ISH Sim Pixel'],
      ['ro.product.name', 'ish_sim'],
      ['ro.product.device', 'ishsim'],
      ['ro.product.manufacturer', 'ISH'],
      ['ro.build.version.sdk', '34'],
      ['ro.build.version.release', '14'],
      ['ro.serialno', 'ISHSIM0001'],
      ['no.such.prop', ''],
    ]) {
      expect((await run(`getprop ${key}`)).stdout).toBe(`${value}\n`);
    }
  });

  it('echo, dumpsys battery, pm, wm, settings, ls, cat /proc/version, input', async () => {
    expect((await run('echo  a   b')).stdout).toBe('a b\n');
    expect((await run('echo -n a')).stdout).toBe('a');
    const battery = (await run('dumpsys battery')).stdout;
    expect(battery.startsWith('Current Battery Service state:\n')).toBe(true);
    expect(battery).toContain('\n  level: 87\n');
    expect((await run('pm list packages')).stdout).toMatch(/^(package:[a-z][\w.]+\n)+$/);
    expect((await run('wm size')).stdout).toBe('Physical size: 1080x2400\n');
    expect((await run('settings get global adb_enabled')).stdout).toBe('1\n');
    expect((await run('settings get system nope')).stdout).toBe('null\n');
    expect((await run('settings put system nope 5; settings get system nope')).stdout).toBe('5\n');
    expect((await run('ls /sdcard')).stdout).toContain('DCIM\nDocuments\nDownload\n');
    expect((await run('cat /proc/version')).stdout).toMatch(/^Linux version 5\.15\.\d+/);
    for (const cmd of ['input tap 10 20', "input text 'hi there'", 'input keyevent KEYCODE_HOME', 'input swipe 1 2 3 4 100']) {
      const r = await run(cmd);
      expect([r.stdout, r.stderr, r.code]).toEqual(['', '', 0]);
    }
    expect((await run('input tap x y')).code).toBe(1);
  });

  it('screencap -p writes a real PNG', async () => {
    const r = await run('screencap -p');
    expect(readPngChunks(r.raw).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('exit codes, unknown commands and syntax errors', async () => {
    expect((await run('echo hi; exit 3; echo never')).code).toBe(3);
    expect((await run('exit 300')).code).toBe(44);
    const unknown = await run('frobnicate --x');
    expect([unknown.stderr, unknown.code]).toEqual(['/system/bin/sh: frobnicate: inaccessible or not found\n', 127]);
    expect((await run('/system/bin/getprop ro.build.version.sdk')).stdout).toBe('34\n');
    const syntax = await run("echo 'oops");
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^\/system\/bin\/sh: syntax error/);
    expect(syntax.argv).toEqual([]);
  });

  it('sleep really waits, and stops when the session is aborted', async () => {
    const started = Date.now();
    expect((await run('sleep 0.2')).code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = Date.now();
    await expect(run('sleep 10; echo never', { signal: controller.signal })).rejects.toThrow('aborted');
    expect(Date.now() - aborted).toBeLessThan(1000);
  });

  it('commandDelayMs makes every command last at least that long', async () => {
    const started = Date.now();
    await run('echo a; echo b', { commandDelayMs: 60 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { AdbDeviceSim, parseService, startAdbDeviceSim } from './adb-device-sim';
import { encodeAdbPublicKey, signAdbToken as signToken } from './auth';
import { readPngChunks } from './png';
import { A_AUTH, A_CLSE, A_CNXN, A_OKAY, A_VERSION_MIN, ADB_AUTH_RSAPUBLICKEY, ADB_AUTH_SIGNATURE, ADB_AUTH_TOKEN, encodePacket, payloadChecksum } from './protocol';
import { HostClientOptions, TestHostClient, splitShellV2 } from './test-host-client';

const sims: AdbDeviceSim[] = [];
const clients: TestHostClient[] = [];

async function sim(options: Parameters<typeof startAdbDeviceSim>[0] = {}): Promise<AdbDeviceSim> {
  const started = await startAdbDeviceSim(options);
  sims.push(started);
  return started;
}

async function client(target: AdbDeviceSim, options: HostClientOptions = {}): Promise<TestHostClient> {
  const connected = await TestHostClient.connect(target.port, target.host, options);
  clients.push(connected);
  return connected;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('service names', () => {
  it('parses shell v1/v2, pty/raw, TERM and exec like adbd', () => {
    expect(parseService('shell:ls')).toEqual({ kind: 'shell', protocol: 'v1', pty: false, command: 'ls' });
    expect(parseService('shell:')).toEqual({ kind: 'shell', protocol: 'v1', pty: true, command: '' });
    expect(parseService('shell')).toEqual({ kind: 'shell', protocol: 'v1', pty: true, command: '' });
    expect(parseService('shell,v2,TERM=xterm,raw:a:b')).toEqual({ kind: 'shell', protocol: 'v2', pty: false, command: 'a:b' });
    expect(parseService('shell,v2,pty:ls')).toEqual({ kind: 'shell', protocol: 'v2', pty: true, command: 'ls' });
    expect(parseService('exec:screencap -p')).toEqual({ kind: 'shell', protocol: 'v1', pty: false, command: 'screencap -p' });
    expect(parseService('reboot:bootloader')).toEqual({ kind: 'reboot', arg: 'bootloader' });
    expect(parseService('sync:')).toBeUndefined();
    expect(parseService('shellx:ls')).toBeUndefined();
  });
});

describe('adb device simulator (wire protocol)', () => {
  it('answers CNXN with its banner, version 0x01000001 and max payload', async () => {
    const device = await sim({ model: 'Model X' });
    const c = await client(device);
    const cnxn = await c.handshake();
    expect(cnxn.command).toBe(A_CNXN);
    expect(cnxn.arg0).toBe(0x01000001);
    expect(cnxn.arg1).toBe(256 * 1024);
    expect(cnxn.data.toString()).toBe('device::ro.product.name=ish_sim;ro.product.model=Model X;ro.product.device=ishsim;features=shell_v2,cmd');
    expect(cnxn.dataCheck).toBe(0);
    expect(device.serial).toBe(`127.0.0.1:${device.port}`);
  });

  it('checksums its packets for an old (0x01000000) host', async () => {
    const c = await client(await sim());
    const cnxn = await c.handshake(A_VERSION_MIN, 4096);
    expect(cnxn.dataCheck).toBe(payloadChecksum(cnxn.data));
  });

  it('runs shell v2 with separate stdout/stderr and the exit status', async () => {
    const c = await client(await sim());
    await c.handshake();
    const result = await c.openAndCollect('shell,v2,raw:echo hi; nosuch; exit 3');
    const { stdout, stderr, exitCode } = splitShellV2(result.data);
    expect(stdout.toString()).toBe('hi\n');
    expect(stderr.toString()).toBe('/system/bin/sh: nosuch: inaccessible or not found\n');
    expect(exitCode).toBe(3);
    expect(result.closedBy).toBe('device');
  });

  it('runs shell v1 and exec raw (no exit status)', async () => {
    const c = await client(await sim());
    await c.handshake();
    expect((await c.openAndCollect('shell:getprop ro.product.model')).data.toString()).toBe('ISH Sim Pixel\n');
    const png = (await c.openAndCollect('exec:screencap -p')).data;
    expect(readPngChunks(png).map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('never has two WRTEs in flight on a stream (waits for each OKAY)', async () => {
    const device = await sim({ screenshotWidth: 300, screenshotHeight: 300 });
    const c = await client(device, { ackDelayMs: 5 });
    await c.handshake(0x01000001, 4096); // small payloads: many WRTEs
    const result = await c.openAndCollect('exec:screencap');
    expect(result.data.length).toBe(16 + 300 * 300 * 4);
    expect(result.wrtes).toBeGreaterThan(80);
    expect(result.violations).toBe(0);
    expect(c.received.filter((p) => p.data.length > 4096)).toEqual([]);
  });

  it('refuses unknown services with CLSE(0, id) and records them', async () => {
    const device = await sim();
    const c = await client(device);
    await c.handshake();
    const result = await c.openAndCollect('sync:');
    expect(result.closedBy).toBe('refused');
    expect(device.stats().refusedServices).toEqual(['sync:']);
    expect((await c.openAndCollect('shell:echo still fine')).data.toString()).toBe('still fine\n');
  });

  it('aborts a running command when the host closes the stream', async () => {
    const device = await sim();
    const c = await client(device);
    await c.handshake();
    c.send({ command: 0x4e45504f, arg0: 9, arg1: 0, data: Buffer.from('shell,v2,raw:sleep 30; echo never\0') });
    const okay = await c.next((p) => p.command === A_OKAY && p.arg1 === 9);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(device.stats().activeShells).toBe(1);
    c.send({ command: A_CLSE, arg0: 9, arg1: okay.arg0, data: Buffer.alloc(0) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stats = device.stats();
    expect(stats.activeShells).toBe(0);
    expect(stats.commands.map((cmd) => cmd.argv)).toEqual([['sleep', '30']]);
    expect(stats.commands[0].endedAt).not.toBeNull();
  });

  it('closes the connection on a corrupt header', async () => {
    const c = await client(await sim());
    const bad = encodePacket({ command: A_CNXN, arg0: 0x01000001, arg1: 4096, data: Buffer.from('host::\0') });
    bad.writeUInt32LE(1, 20);
    c.socket.write(bad);
    await c.whenClosed();
    expect(c.closed).toBe(true);
  });

  it('counts overlapping shells and logs each command with timestamps', async () => {
    const device = await sim({ commandDelayMs: 80 });
    const c = await client(device);
    await c.handshake();
    await Promise.all([1, 2, 3].map((i) => c.openAndCollect(`shell,v2,raw:echo ${i}`)));
    let stats = device.stats();
    expect(stats.shellsStarted).toBe(3);
    expect(stats.maxConcurrentShells).toBe(3);
    expect(stats.commands).toHaveLength(3);
    for (const cmd of stats.commands) expect(cmd.endedAt! - cmd.startedAt).toBeGreaterThanOrEqual(80);
    device.resetStats();
    for (const i of [1, 2]) await c.openAndCollect(`shell:echo ${i}`);
    stats = device.stats();
    expect(stats.maxConcurrentShells).toBe(1);
    expect(stats.commands[1].startedAt).toBeGreaterThanOrEqual(stats.commands[0].endedAt!);
    expect(stats.connections).toBe(1);
  });

  it('serves GET /stats and POST /reset on the control port', async () => {
    const device = await sim({ controlPort: 0 });
    const c = await client(device);
    await c.handshake();
    await c.openAndCollect('shell:echo a; reboot');
    const call = (method: string, path: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: device.controlPort, method, path }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const stats = await call('GET', '/stats');
    expect(stats.status).toBe(200);
    const parsed = JSON.parse(stats.body) as { serial: string; reboots: number; commands: { argv: string[] }[] };
    expect(parsed.serial).toBe(device.serial);
    expect(parsed.reboots).toBe(1);
    expect(parsed.commands.map((cmd) => cmd.argv)).toEqual([['echo', 'a'], ['reboot']]);
    expect((await call('POST', '/reset')).status).toBe(204);
    expect(device.stats().commands).toEqual([]);
    expect((await call('GET', '/nope')).status).toBe(404);
  });
});

describe('adb device simulator (auth)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('unauthorized: sends a 20-byte AUTH TOKEN, re-challenges every signature and ignores the key', async () => {
    const device = await sim({ mode: 'unauthorized' });
    const c = await client(device);
    const token = await c.handshake();
    expect([token.command, token.arg0, token.data.length]).toEqual([A_AUTH, ADB_AUTH_TOKEN, 20]);
    const next = c.next();
    c.send({ command: A_AUTH, arg0: ADB_AUTH_SIGNATURE, arg1: 0, data: signToken(privateKey, token.data) });
    const again = await next;
    expect([again.command, again.arg0]).toEqual([A_AUTH, ADB_AUTH_TOKEN]);
    expect(again.data.equals(token.data)).toBe(false);
    c.send({ command: A_AUTH, arg0: ADB_AUTH_RSAPUBLICKEY, arg1: 0, data: encodeAdbPublicKey(publicKey) });
    c.send({ command: 0x4e45504f, arg0: 5, arg1: 0, data: Buffer.from('shell:echo hi\0') });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(c.received).toHaveLength(2); // no CNXN, the OPEN is ignored, the connection stays open
    expect(c.closed).toBe(false);
    expect(device.stats()).toMatchObject({ authSignatures: 1, authPublicKeys: 1, shellsStarted: 0, activeConnections: 1 });
  });

  it('auth: accepts an offered key, then signatures made with it', async () => {
    const device = await sim({ mode: 'auth' });
    const first = await client(device);
    const token = await first.handshake();
    const next = first.next();
    first.send({ command: A_AUTH, arg0: ADB_AUTH_SIGNATURE, arg1: 0, data: signToken(privateKey, token.data) });
    expect((await next).arg0).toBe(ADB_AUTH_TOKEN); // unknown key: try the next one
    const connected = first.next();
    first.send({ command: A_AUTH, arg0: ADB_AUTH_RSAPUBLICKEY, arg1: 0, data: encodeAdbPublicKey(publicKey) });
    expect((await connected).command).toBe(A_CNXN);

    const second = await client(device);
    const token2 = await second.handshake();
    const bad = second.next();
    second.send({ command: A_AUTH, arg0: ADB_AUTH_SIGNATURE, arg1: 0, data: signToken(privateKey, randomBytes(20)) });
    expect((await bad).command).toBe(A_AUTH);
    const token3 = second.received.at(-1)!;
    expect(token3.data.equals(token2.data)).toBe(false);
    const good = second.next();
    second.send({ command: A_AUTH, arg0: ADB_AUTH_SIGNATURE, arg1: 0, data: signToken(privateKey, token3.data) });
    expect((await good).command).toBe(A_CNXN);
    expect((await second.openAndCollect('shell:echo ok')).data.toString()).toBe('ok\n');
  });
});

// The Android bridge end to end: the REAL adb server of the test stack (tools/stack, port 15037)
// connected over TCP to simulated devices (tools/adb-device-sim) started here on random ports,
// driven through the gateway. The simulators record every shell session and simple command, which
// is how these tests see what did (and did not) reach a device.
import amqp from 'amqplib';
import { Queue } from 'bullmq';
import Adb from '@devicefarmer/adbkit';
import { AndroidAuditEntry, DeviceStateChanged, DeviceView, EVENTS, EXCHANGES, ExecuteResult, QUEUES } from '@ish/contracts';
import { bullConnection } from '@ish/jobs';
import { AdbDeviceSim, AdbDeviceSimStats, startAdbDeviceSim } from '@ish/adb-device-sim';
import { GATEWAY_URL, RABBITMQ_URL, REDIS_URL, serviceUrl, TEST_STACK, testSecrets, api, signUp, signUpOperator, waitFor } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; details?: { field?: string; message: string }[] } };

const ADMIN = () => testSecrets().adminApiKey;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** the simulators' shells as [start, end] intervals, in start order */
const intervals = (stats: AdbDeviceSimStats) => stats.shells.map((s) => [s.startedAt, s.endedAt ?? Infinity] as const).sort((a, b) => a[0] - b[0]);

describe('android bridge with the real adb server and simulated devices', () => {
  let pixel: AdbDeviceSim;
  let tab: AdbDeviceSim;
  let locked: AdbDeviceSim;
  let slowA: AdbDeviceSim;
  let slowB: AdbDeviceSim;
  let sims: AdbDeviceSim[] = [];
  let connection: amqp.ChannelModel;
  const events: DeviceStateChanged[] = [];
  const adb = Adb.createClient({ host: '127.0.0.1', port: Number(TEST_STACK.ADB_PORT) });
  adb.on('error', () => undefined);

  const execute = (body: Record<string, unknown>, token = ADMIN()) => api<ExecuteResult & ErrorBody>('POST', '/api/v1/android/execute', { token, body });
  const connect = (sim: AdbDeviceSim) => api<{ serial: string; state: string }>('POST', '/api/v1/android/devices/connect', { token: ADMIN(), body: { host: '127.0.0.1', port: sim.port } });

  beforeAll(async () => {
    connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, EXCHANGES.events, EVENTS.deviceStateChanged);
    await channel.consume(queue, (message) => message && events.push(JSON.parse(message.content.toString()) as DeviceStateChanged), { noAck: true });

    [pixel, tab, locked, slowA, slowB] = await Promise.all([
      startAdbDeviceSim({ model: 'ISH Sim Pixel', sdk: 34, batteryLevel: 87 }),
      startAdbDeviceSim({ model: 'ISH Sim Tab', product: 'ish_tab', sdk: 33, batteryLevel: 42 }),
      startAdbDeviceSim({ mode: 'unauthorized' }),
      startAdbDeviceSim({ model: 'Slow A', commandDelayMs: 40 }),
      startAdbDeviceSim({ model: 'Slow B', commandDelayMs: 40 }),
    ]);
    sims = [pixel, tab, locked, slowA, slowB];
  });

  afterAll(async () => {
    await Promise.allSettled(sims.map((sim) => adb.disconnect(sim.serial)));
    await Promise.allSettled(sims.map((sim) => sim.close()));
    await connection?.close();
  });

  it('is ready with the adb server answering, before any device is attached', async () => {
    const ready = await fetch(`${serviceUrl('android-bridge')}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { details: Record<string, unknown> }).details.adb).toMatchObject({ status: 'up', version: '1.0.41' });
  });

  it('connects devices over TCP: online ones as `device`, a locked one as `unauthorized`', async () => {
    const answers = await Promise.all([connect(pixel), connect(tab), connect(locked), connect(slowA), connect(slowB)]);
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [200, { serial: pixel.serial, state: 'device' }],
      [200, { serial: tab.serial, state: 'device' }],
      [200, { serial: locked.serial, state: 'unauthorized' }],
      [200, { serial: slowA.serial, state: 'device' }],
      [200, { serial: slowB.serial, state: 'device' }],
    ]);
    const refused = await api<ErrorBody>('POST', '/api/v1/android/devices/connect', { token: ADMIN(), body: { host: '127.0.0.1', port: 1 } });
    expect([refused.status, refused.body.error.code]).toEqual([502, 'connect_failed']);
    const invalid = await api<ErrorBody>('POST', '/api/v1/android/devices/connect', { token: ADMIN(), body: { host: '127.0.0.1; reboot', port: 6101 } });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('lists both devices with model, product, SDK and battery; the locked one as unauthorized', async () => {
    const devices = await api<DeviceView[]>('GET', '/api/v1/android/devices', { token: ADMIN() });
    expect(devices.status).toBe(200);
    const bySerial = new Map(devices.body.map((d) => [d.serial, d]));
    expect(bySerial.get(pixel.serial)).toEqual({ serial: pixel.serial, state: 'device', model: 'ISH Sim Pixel', product: 'ish_sim', sdk: 34, batteryLevel: 87 });
    expect(bySerial.get(tab.serial)).toEqual({ serial: tab.serial, state: 'device', model: 'ISH Sim Tab', product: 'ish_tab', sdk: 33, batteryLevel: 42 });
    expect(bySerial.get(locked.serial)).toEqual({ serial: locked.serial, state: 'unauthorized', model: null, product: null, sdk: null });

    expect((await api<DeviceView>('GET', `/api/v1/android/devices/${pixel.serial}`, { token: ADMIN() })).body.model).toBe('ISH Sim Pixel');
    const missing = await api<ErrorBody>('GET', '/api/v1/android/devices/127.0.0.1:1', { token: ADMIN() });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'device_not_found']);

    const status = await api<{ adb: { connected: boolean; version: string }; devices: Record<string, number> }>('GET', '/api/v1/android/status', { token: ADMIN() });
    expect(status.body.adb).toEqual({ connected: true, version: '1.0.41' });
    expect(status.body.devices.online).toBeGreaterThanOrEqual(4);
    expect(status.body.devices.unauthorized).toBeGreaterThanOrEqual(1);
  });

  it('publishes device.state_changed, pushed by adb, with the model', async () => {
    await waitFor('state events of the connected devices', async () =>
      [pixel, tab].every((sim) => events.some((e) => e.serial === sim.serial && e.to === 'device')) && events.some((e) => e.serial === locked.serial && e.to === 'unauthorized'),
    5000, 50);
    expect(events.filter((e) => e.serial === pixel.serial && e.to === 'device')).toEqual([{ serial: pixel.serial, from: expect.any(String), to: 'device', model: 'ISH Sim Pixel' }]);
    expect(events.find((e) => e.serial === locked.serial && e.to === 'unauthorized')).toEqual({ serial: locked.serial, from: expect.any(String), to: 'unauthorized' });
  });

  it('passes shell metacharacters through as literal text, and reports exit codes', async () => {
    pixel.resetStats();
    const hostile = ['a; reboot', '$(reboot)', '`reboot`', 'x && reboot | reboot', "it's", 'line1\nreboot'];
    const echoed = await execute({ serial: pixel.serial, command: 'echo', args: hostile });
    expect(echoed.status).toBe(200);
    expect(echoed.body).toEqual({ serial: pixel.serial, command: 'echo', args: hostile, exitCode: 0, stdout: `${hostile.join(' ')}\n`, durationMs: expect.any(Number) });
    const single = await execute({ serial: pixel.serial, command: 'echo', args: ['a; reboot'] });
    expect(single.body.stdout).toBe('a; reboot\n');

    const stats = pixel.stats();
    expect(stats.reboots).toBe(0);
    expect(stats.commands.map((c) => c.argv[0])).not.toContain('reboot');
    expect(stats.commands.filter((c) => c.argv[0] === 'echo' && c.argv[1] !== '__ISH_EXIT__0').map((c) => c.argv.slice(1))).toEqual([hostile, ['a; reboot']]);

    const failing = await execute({ serial: pixel.serial, command: 'ls', args: ['/no/such/dir'] });
    expect(failing.body).toMatchObject({ exitCode: 1, stdout: expect.stringContaining('No such file') });
  });

  it('refuses bad requests with a clear error, and nothing reaches the device', async () => {
    pixel.resetStats();
    locked.resetStats();
    const user = await signUp('android-user');
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ serial: pixel.serial, command: 'reboot' }, 400, 'command_not_allowed'],
      [{ serial: pixel.serial, command: 'echo; reboot' }, 400, 'command_not_allowed'],
      [{ serial: pixel.serial, command: '' }, 400, 'validation_failed'],
      [{ serial: pixel.serial, command: 'echo', args: Array.from({ length: 65 }, (_, i) => String(i)) }, 400, 'too_many_args'],
      // NUL can reach no device (nor PostgreSQL): every service refuses it before validation
      [{ serial: pixel.serial, command: 'echo', args: ['a\0b'] }, 400, 'validation_failed'],
      [{ serial: pixel.serial, command: 'echo', shell: true }, 400, 'validation_failed'],
      [{ serial: pixel.serial, command: 'reboot', mode: 'async' }, 400, 'command_not_allowed'],
      [{ serial: '127.0.0.1:1', command: 'echo' }, 404, 'device_not_found'],
      [{ serial: locked.serial, command: 'echo', args: ['hi'] }, 409, 'device_not_ready'],
      [{ serial: locked.serial, command: 'echo', mode: 'async' }, 409, 'device_not_ready'],
      [{ serial: pixel.serial, command: 'echo' }, 403, 'insufficient_scope', user.accessToken],
    ];
    for (const [body, status, code, token] of cases) {
      const answer = await execute(body, token);
      expect([JSON.stringify(body).slice(0, 60), answer.status, answer.body.error?.code]).toEqual([JSON.stringify(body).slice(0, 60), status, code]);
    }
    const notReady = await execute({ serial: locked.serial, command: 'echo' });
    expect(notReady.body.error.details).toEqual([{ field: 'state', message: 'unauthorized' }]);
    const notAllowed = await execute({ serial: pixel.serial, command: 'reboot' });
    expect(notAllowed.body.error.details?.[0].message).toContain('getprop');

    for (const sim of [pixel, locked]) {
      const stats = sim.stats();
      expect({ shells: stats.shellsStarted, commands: stats.commands, services: stats.services, reboots: stats.reboots }).toEqual({ shells: 0, commands: [], services: [], reboots: 0 });
    }
  });

  it('runs 20 concurrent commands on one device one at a time', async () => {
    slowA.resetStats();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => execute({ serial: slowA.serial, command: 'echo', args: [`job ${i}`] })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.body.stdout).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `job ${i}\n`).sort());
    const stats = slowA.stats();
    expect(stats.shellsStarted).toBe(20);
    expect(stats.maxConcurrentShells).toBe(1);
    const spans = intervals(stats);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  });

  it('runs commands on two devices in parallel', async () => {
    slowA.resetStats();
    slowB.resetStats();
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => execute({ serial: (i % 2 ? slowB : slowA).serial, command: 'echo', args: [String(i)] })));
    const elapsed = Date.now() - started;
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const a = intervals(slowA.stats());
    const b = intervals(slowB.stats());
    expect([slowA.stats().maxConcurrentShells, slowB.stats().maxConcurrentShells]).toEqual([1, 1]);
    // some shell on A ran while one on B did
    expect(a.some(([aStart, aEnd]) => b.some(([bStart, bEnd]) => aStart < bEnd && bStart < aEnd))).toBe(true);
    // each command takes ≥ 80 ms on its device (two simulated commands of 40 ms): 12 in a row would take ≥ 960 ms
    expect(elapsed).toBeLessThan(12 * 80);
  });

  it('stops a command at its timeout and closes the device session', async () => {
    pixel.resetStats();
    const started = Date.now();
    const answer = await execute({ serial: pixel.serial, command: 'sleep', args: ['5'], timeoutMs: 300 });
    expect([answer.status, answer.body.error.type, answer.body.error.code]).toEqual([504, 'upstream_error', 'command_timeout']);
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor('the device to end the shell', async () => pixel.stats().activeShells === 0, 2000, 20);
    const [shell] = pixel.stats().shells;
    expect(shell.endedAt! - shell.startedAt).toBeLessThan(1500);
    // the device is free again at once
    expect((await execute({ serial: pixel.serial, command: 'echo', args: ['after'] })).body.stdout).toBe('after\n');
  });

  it('takes a screenshot as image/png', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/android/devices/${pixel.serial}/screenshot`, { headers: { authorization: `Bearer ${ADMIN()}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const locked409 = await api<ErrorBody>('GET', `/api/v1/android/devices/${locked.serial}/screenshot`, { token: ADMIN() });
    expect([locked409.status, locked409.body.error.code]).toEqual([409, 'device_not_ready']);
  });

  it('runs an async execute through a worker, with the same code path', async () => {
    pixel.resetStats();
    const accepted = await execute({ serial: pixel.serial, command: 'getprop', args: ['ro.product.model'], mode: 'async' });
    expect(accepted.status).toBe(202);
    const { jobId, status } = accepted.body as unknown as { jobId: string; status: string };
    expect(status).toBe('queued');
    expect(accepted.headers.get('location')).toBe(`/api/v1/jobs/${jobId}`);

    const queue = new Queue(QUEUES.adb, { connection: bullConnection(REDIS_URL) });
    try {
      const job = await waitFor('the adb job to complete', async () => {
        const found = await queue.getJob(jobId);
        return found?.finishedOn ? found : undefined;
      }, 10_000, 50);
      expect(job.data).toMatchObject({ type: 'adb', userId: expect.any(String), credentialId: expect.any(String), request: { serial: pixel.serial, command: 'getprop', args: ['ro.product.model'] } });
      expect(job.returnvalue).toEqual({ serial: pixel.serial, command: 'getprop', args: ['ro.product.model'], exitCode: 0, stdout: 'ISH Sim Pixel\n', durationMs: expect.any(Number) });
      expect(job.processedBy ?? '').not.toContain('android-bridge');
    } finally {
      await queue.close();
    }
    expect(pixel.stats().commands.map((c) => c.argv)).toContainEqual(['getprop', 'ro.product.model']);
  });

  it('audits every execution and refusal (admin only)', async () => {
    const audit = await api<AndroidAuditEntry[]>('GET', `/api/v1/android/audit?serial=${encodeURIComponent(pixel.serial)}&limit=200`, { token: ADMIN() });
    expect(audit.status).toBe(200);
    const entries = audit.body;
    expect(entries.every((e) => e.serial === pixel.serial)).toBe(true);
    expect(entries).toContainEqual(expect.objectContaining({ command: 'echo', args: ['a; reboot'], exitCode: 0, outcome: 'completed', bytesOut: 10, mode: 'sync', userId: expect.any(String), credentialId: expect.any(String) }));
    expect(entries).toContainEqual(expect.objectContaining({ command: 'reboot', outcome: 'rejected', errorCode: 'command_not_allowed', exitCode: null }));
    expect(entries).toContainEqual(expect.objectContaining({ command: 'sleep', outcome: 'timeout', errorCode: 'command_timeout' }));
    expect(entries).toContainEqual(expect.objectContaining({ command: 'screencap', args: ['-p'], outcome: 'completed', exitCode: 0 }));
    expect(entries).toContainEqual(expect.objectContaining({ command: 'getprop', mode: 'async', jobId: expect.any(String), outcome: 'completed' }));
    // newest first
    const times = entries.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect((await api('GET', '/api/v1/android/audit?limit=2', { token: ADMIN() })).body).toHaveLength(2);

    const user = await signUpOperator('android-auditor');
    expect((await api('GET', '/api/v1/android/devices', { token: user.accessToken })).status).toBe(200);
    expect((await api('GET', '/api/v1/android/audit', { token: user.accessToken })).status).toBe(403);
    expect((await api('GET', '/api/v1/android/audit?limit=0', { token: ADMIN() })).status).toBe(400);
  });

  it('disconnects a TCP device (204) and announces it', async () => {
    const answer = await api('POST', `/api/v1/android/devices/${tab.serial}/disconnect`, { token: ADMIN() });
    expect(answer.status).toBe(204);
    expect((await api('GET', `/api/v1/android/devices/${tab.serial}`, { token: ADMIN() })).status).toBe(404);
    await waitFor('the disconnect event', async () => events.some((e) => e.serial === tab.serial && e.to === 'disconnected'), 3000, 50);
    expect(events.find((e) => e.serial === tab.serial && e.to === 'disconnected')).toEqual({ serial: tab.serial, from: 'device', to: 'disconnected', model: 'ISH Sim Tab' });
    expect((await api('POST', `/api/v1/android/devices/${tab.serial}/disconnect`, { token: ADMIN() })).status).toBe(404);
  });
});

// GET /api/v1/jobs through the gateway: the caller's own jobs of both queues (ai from relay, adb from
// the android bridge), newest first, with a validated limit; jobs gone from BullMQ drop out of the list.
import Adb from '@devicefarmer/adbkit';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { JobView } from '@ish/contracts';
import { userJobsKey } from '@ish/jobs';
import { AdbDeviceSim, startAdbDeviceSim } from '@ish/adb-device-sim';
import { REDIS_URL, TEST_STACK, testSecrets, api, signUp, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; details?: { field?: string }[] } };

const RUN = Date.now().toString(36);
const MODEL = `jobs-list-${RUN}`;

describe('GET /api/v1/jobs', () => {
  let sim: SimInstance;
  let device: AdbDeviceSim;
  let owner: Awaited<ReturnType<typeof signUp>>;
  let other: Awaited<ReturnType<typeof signUp>>;
  const redis = new Redis(REDIS_URL);
  const aiQueue = new Queue('ai', { connection: { url: REDIS_URL } as never });
  const adb = Adb.createClient({ host: '127.0.0.1', port: Number(TEST_STACK.ADB_PORT) });
  adb.on('error', () => undefined);

  const list = (token: string, query = '') => api<JobView[] & ErrorBody>('GET', `/api/v1/jobs${query}`, { token });
  const submitAi = async (token: string, message: string) => {
    const submitted = await api<{ jobId: string }>('POST', '/api/v1/relay', { token, body: { message, model: MODEL, mode: 'async' } });
    expect(submitted.status).toBe(202);
    return submitted.body.jobId;
  };
  const finished = (token: string, ids: string[]) =>
    waitFor(`jobs ${ids.join(', ')} to finish`, async () => {
      const jobs = await Promise.all(ids.map(async (id) => (await api<JobView>('GET', `/api/v1/jobs/${id}`, { token })).body));
      return jobs.every((job) => job.status === 'completed' || job.status === 'failed') && jobs;
    }, 30_000, 200);

  beforeAll(async () => {
    sim = await addSimInstance(`jobs-list-${RUN}`, { models: [MODEL] });
    device = await startAdbDeviceSim({ model: 'Jobs List Phone' });
    [owner, other] = await Promise.all([signUp('jobs-owner'), signUp('jobs-other')]);
    // adb commands need android:execute: the owner becomes an admin and signs in again (a role change
    // revokes the tokens of its whole second, so the new sign-in is retried until its token works)
    expect((await api('PATCH', `/api/v1/admin/users/${owner.userId}`, { token: testSecrets().adminApiKey, body: { role: 'admin' } })).status).toBe(200);
    owner.accessToken = await waitFor('an admin session of the owner', async () => {
      const login = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { body: { email: owner.email, password: owner.password } });
      const me = await api<{ role: string }>('GET', '/api/v1/auth/me', { token: login.body.accessToken });
      return me.status === 200 && me.body.role === 'admin' ? login.body.accessToken : undefined;
    }, 5000, 250);
    const connected = await api<{ state: string }>('POST', '/api/v1/android/devices/connect', { token: owner.accessToken, body: { host: '127.0.0.1', port: device.port } });
    expect(connected.body.state).toBe('device');
    await waitForModel(MODEL);
  });

  afterAll(async () => {
    await adb.disconnect(device?.serial).catch(() => undefined);
    await Promise.allSettled([sim?.close(), device?.close(), aiQueue.close()]);
    redis.disconnect();
  });

  it('lists the caller\'s ai and adb jobs, newest first, each as GET /api/v1/jobs/{id} shows it', async () => {
    const first = await submitAi(owner.accessToken, 'first job');
    const command = await api<{ jobId: string }>('POST', '/api/v1/android/execute', {
      token: owner.accessToken,
      body: { serial: device.serial, command: 'getprop', args: ['ro.product.model'], mode: 'async' },
    });
    expect(command.status).toBe(202);
    const third = await submitAi(owner.accessToken, 'third job');
    await submitAi(other.accessToken, 'not yours');
    await finished(owner.accessToken, [first, command.body.jobId, third]);

    const listed = await list(owner.accessToken);
    expect(listed.status).toBe(200);
    expect(listed.body.map((job) => job.id)).toEqual([third, command.body.jobId, first]);
    expect(listed.body.map((job) => job.type)).toEqual(['ai', 'adb', 'ai']);
    for (const job of listed.body) expect(job).toEqual((await api<JobView>('GET', `/api/v1/jobs/${job.id}`, { token: owner.accessToken })).body);
    expect(listed.body[1]).toMatchObject({ status: 'completed', result: { stdout: expect.stringContaining('Jobs List Phone'), exitCode: 0 } });
    expect(listed.body[0]).toMatchObject({ status: 'completed', result: { reply: expect.stringContaining('third job') } });
  });

  it('answers at most limit jobs, the newest', async () => {
    const all = await list(owner.accessToken);
    const two = await list(owner.accessToken, '?limit=2');
    expect(two.body.map((job) => job.id)).toEqual(all.body.slice(0, 2).map((job) => job.id));
  });

  it('shows each user only their own jobs', async () => {
    const theirs = await list(other.accessToken);
    expect(theirs.body).toHaveLength(1);
    expect(theirs.body[0]).toMatchObject({ type: 'ai', result: { reply: expect.stringContaining('not yours') } });
    const mine = await list(owner.accessToken);
    expect(mine.body.map((job) => job.id)).not.toContain(theirs.body[0].id);
    const fresh = await signUp('jobs-none');
    expect((await list(fresh.accessToken)).body).toEqual([]);
  });

  it('drops a job once BullMQ no longer holds it, and forgets it', async () => {
    const before = await list(other.accessToken);
    const gone = before.body[0].id;
    await (await aiQueue.getJob(gone))!.remove();
    expect((await list(other.accessToken)).body).toEqual([]);
    expect(await redis.zrange(userJobsKey(other.userId), 0, -1)).toEqual([]);
  });

  it('refuses a limit that is not a whole number from 1 to 100, and a missing credential', async () => {
    for (const bad of ['0', '101', 'ten', '2.5']) {
      const refused = await list(owner.accessToken, `?limit=${bad}`);
      expect([bad, refused.status, refused.body.error.type]).toEqual([bad, 400, 'invalid_request_error']);
      expect(refused.body.error.details?.[0]?.field).toBe('limit');
    }
    expect((await api('GET', '/api/v1/jobs')).status).toBe(401);
  });
});

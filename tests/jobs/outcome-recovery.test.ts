// A worker that dies after BullMQ recorded a job's outcome but before its job.completed was
// confirmed by RabbitMQ must not lose the event: another worker's sweep announces it, once.
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { RelayReply } from '@ish/contracts';
import { PENDING_OUTCOMES_KEY } from '@ish/jobs';
import { APP_PORTS, REDIS_URL, openEventStream, api, signUp, addSimInstance, SimInstance, waitForModel, stopApp, waitFor, ensureSuiteWorker, startReplacementWorker, stopSuiteWorkers } from '@ish/test-support';

const RUN = Date.now().toString(36);
const MODEL = `outcomes-${RUN}`;

describe('job outcomes survive a worker dying between recording and announcing them', () => {
  let sim: SimInstance;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    sim = await addSimInstance(`outcomes-${RUN}`, { models: [MODEL] });
    await waitForModel(MODEL);
  });

  afterAll(async () => {
    await ensureSuiteWorker();
    await sim?.close();
    redis.disconnect();
  });

  it('a sweep announces job.completed of a job completed without its event, with one event id', async () => {
    const user = await signUp('outcomes');
    const events = await openEventStream(user.accessToken);

    // no worker of the system runs: the job is taken by this test's own "worker", which does what a
    // real one does up to BullMQ recording the result (the note included) and then "dies"
    await stopSuiteWorkers();
    const submitted = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: user.accessToken, body: { message: 'finish me', model: MODEL, mode: 'async' } });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.jobId;
    const reply = { id: jobId, reply: 'done before the crash', model: MODEL } as unknown as RelayReply;
    const doomed = new Worker(
      'ai',
      async (job: Job) => {
        if (job.id !== jobId) throw new Error('not this test’s job');
        await redis.zadd(PENDING_OUTCOMES_KEY, Date.now(), `ai:${job.id}`);
        return reply;
      },
      { connection: { url: REDIS_URL } as never, autorun: true },
    );
    const queue = new Queue('ai', { connection: { url: REDIS_URL } as never });
    await waitFor('the job recorded as completed', async () => (await queue.getJobState(jobId)) === 'completed', 15_000, 50);
    await doomed.close();
    // nothing was announced: the note is still there
    expect(await redis.zscore(PENDING_OUTCOMES_KEY, `ai:${jobId}`)).not.toBeNull();
    expect(events.text()).not.toContain(jobId);

    // a worker comes up; its sweep finds the note once it is older than the grace
    const rescuer = await startReplacementWorker({ port: APP_PORTS.worker + 40, env: { WORKER_OUTCOME_GRACE_MS: '1000' } });
    try {
      await waitFor('the job.completed event on the stream', async () => events.text().includes(jobId), 15_000, 50);
      const [event] = events.eventsAbout<{ type: string; data: { jobId: string; status: string; result: RelayReply } }>(jobId);
      expect(event.type).toBe('job.completed');
      expect(event.data).toEqual(expect.objectContaining({ jobId, status: 'completed', result: expect.objectContaining({ reply: 'done before the crash' }) }));
      await waitFor('the note to be dropped', async () => (await redis.zscore(PENDING_OUTCOMES_KEY, `ai:${jobId}`)) === null, 5000, 50);
      // later sweeps leave it alone
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(events.eventsAbout(jobId)).toHaveLength(1);
    } finally {
      await events.close();
      await queue.close();
      await stopApp(rescuer);
    }
  });
});

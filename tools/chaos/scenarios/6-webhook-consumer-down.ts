import { EVENTS } from '@ish/contracts';
import { addSimInstance, waitForModel, AppProcess, stopApp, waitFor, WebhookReceiver, ensureSuiteWorker, startReplacementWorker, stopSuiteWorkers } from '@ish/test-support';
import { ChaosForm, Scenario, ScenarioResult } from '../scenario';
import { chaosKey, revokeKey, RUN } from '../support/client';
import { seconds, sleep } from '../support/figures';
import { settleJobs, submitJob, SubmittedJob } from '../support/jobs';
import { deliveriesIn, subscribe, webhooksByJob } from '../support/webhooks';

/**
 * The worker's retry policy for this scenario. The test apps retry webhooks within seconds (5
 * attempts, at most 2 s apart), far shorter than any outage worth the name; the short form uses 20
 * attempts at most 2 s apart (≥ 18 s of retries), the long form the shipped defaults (empty values:
 * 8 attempts, 5 s growing 4× per attempt, so ≥ 2.5+10+40+160 s before a delivery fails for good).
 */
const POLICIES: Record<ChaosForm, { describe: string; env: Record<string, string> }> = {
  short: { describe: '20 attempts, 0.5 s ×4, at most 2 s apart', env: { WEBHOOK_MAX_ATTEMPTS: '20', WEBHOOK_BACKOFF_BASE_MS: '500', WEBHOOK_BACKOFF_MAX_MS: '2000' } },
  long: {
    describe: 'shipped defaults: 8 attempts, 5 s ×4',
    env: { WEBHOOK_MAX_ATTEMPTS: '', WEBHOOK_BACKOFF_BASE_MS: '', WEBHOOK_BACKOFF_MAX_MS: '', WEBHOOK_TIMEOUT_MS: '', WEBHOOK_DISABLE_AFTER_FAILURES: '' },
  },
};
const SIZES: Record<ChaosForm, { downS: number; jobsPerS: number; deliverWithinS: number }> = {
  short: { downS: 10, jobsPerS: 1, deliverWithinS: 60 },
  // the last retry of an event from the start of the outage may come 320 s after the one before
  long: { downS: 120, jobsPerS: 1, deliverWithinS: 480 },
};

/**
 * Issue 11, scenario 6. A consumer subscribed to `job.completed` goes away (its port refuses
 * connections) while async jobs keep completing; it comes back after 2 minutes (short form: 10 s).
 * Every event must then reach it, signed (Standard Webhooks), and the API must list every delivery as
 * delivered: none failed, none pending. The worker runs with a retry policy that spans the outage.
 */
export const webhookConsumerDownScenario: Scenario = {
  id: 6,
  name: 'webhook consumer down, then back',
  async run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult> {
    const size = SIZES[form];
    const policy = POLICIES[form];
    const model = `chaos6-${RUN}`;
    const sim = await addSimInstance(model, { models: [model] }, { maxConcurrency: 10_000 });
    const key = await chaosKey('webhooks', ['chat', 'webhooks']);
    const receiver = await WebhookReceiver.start();
    const subscription = await subscribe(key.key, receiver, [EVENTS.jobCompleted], `chaos 6 ${RUN}`);
    let worker: AppProcess | undefined;
    try {
      await waitForModel(model);
      await stopSuiteWorkers();
      worker = await startReplacementWorker({ env: policy.env });
      log(`worker pid ${worker.child.pid} delivers webhooks with ${policy.describe}`);
      const jobs: SubmittedJob[] = [];
      const submit = async (phase: string, n: number) => {
        for (let i = 0; i < n; i++) {
          const submitted = await submitJob(key.key, model, `chaos6 ${RUN} ${phase} ${i}`);
          if (!submitted.job) throw new Error(`a job was refused: ${submitted.status} ${submitted.code}`);
          jobs.push(submitted.job);
          if (phase === 'down') await sleep(1000 / size.jobsPerS);
        }
      };
      await submit('before', 3);
      await waitFor('the first deliveries', async () => webhooksByJob(receiver, subscription.secret).byJob.size >= 3, 30_000, 100);

      await receiver.down();
      const downAt = Date.now();
      log(`consumer down for ${size.downS} s`);
      await submit('down', Math.round(size.downS * size.jobsPerS));
      await sleep(Math.max(0, downAt + size.downS * 1000 - Date.now()));
      await receiver.up();
      const upAt = Date.now();
      log('consumer back');
      await submit('after', 3);

      const views = await settleJobs(key.key, jobs, 60_000, log);
      const completed = jobs.filter((j) => views.get(j.jobId)?.status === 'completed');
      await waitFor('every event at the consumer', async () => completed.every((j) => webhooksByJob(receiver, subscription.secret).byJob.has(j.jobId)), size.deliverWithinS * 1000, 500).catch(() => undefined);
      const { byJob, invalid } = webhooksByJob(receiver, subscription.secret);
      const downJobs = jobs.filter((j) => j.message.includes(' down '));
      const missing = completed.filter((j) => !byJob.has(j.jobId));
      const lastAfterReturn = Math.max(0, ...downJobs.filter((j) => byJob.has(j.jobId)).map((j) => byJob.get(j.jobId)!.firstAt - upAt));
      // the API's view: nothing failed, nothing still pending
      const failed = await deliveriesIn(key.key, subscription.id, 'failed');
      const pending = await deliveriesIn(key.key, subscription.id, 'pending');
      const delivered = await deliveriesIn(key.key, subscription.id, 'delivered');
      const attempts = delivered.map((d) => d.attempts.length);
      const figures = {
        consumerDownS: seconds(upAt - downAt),
        events: jobs.length,
        eventsWhileDown: downJobs.length,
        jobsCompleted: completed.length,
        deliveredToConsumer: byJob.size,
        lost: missing.length,
        duplicateDeliveries: [...byJob.values()].reduce((n, h) => n + h.deliveryIds.size - 1, 0),
        badSignatures: invalid,
        apiFailed: failed.length,
        apiPending: pending.length,
        maxAttemptsPerDelivery: Math.max(0, ...attempts),
        lastDeliveredAfterReturnS: seconds(lastAfterReturn),
        policy: policy.describe,
      };
      const notes: string[] = [];
      if (delivered.length === 100) notes.push('maxAttemptsPerDelivery is over the newest 100 deliveries (the API lists at most 100)');
      if (completed.length < jobs.length) notes.push(`${jobs.length - completed.length} job(s) did not complete`);
      const pass = completed.length === jobs.length && missing.length === 0 && invalid === 0 && failed.length === 0 && pending.length === 0;
      return { pass, figures, notes };
    } finally {
      // back to a worker with the suite's settings
      if (worker) await stopApp(worker);
      await ensureSuiteWorker();
      await subscription.remove().catch(() => undefined);
      await receiver.close();
      await sim.close();
      await revokeKey(key.id);
    }
  },
};

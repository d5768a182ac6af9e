import { Queue } from 'bullmq';
import { EVENTS, QUEUES } from '@ish/contracts';
import { bullConnection } from '@ish/jobs';
import { APP_PORTS, REDIS_URL, addSimInstance, waitForModel, AppProcess, stopApp, waitFor, isWorkerProcess, pidOfProcessor, startReplacementWorker, stopSuiteWorkers } from '@ish/test-support';
import { ChaosForm, Scenario, ScenarioResult } from '../scenario';
import { chaosKey, revokeKey, RUN } from '../support/client';
import { DurableEventTap } from '../support/event-tap';
import { mapLimit, seconds } from '../support/figures';
import { checkJobs, settleJobs, submitJob } from '../support/jobs';

const SIZES: Record<ChaosForm, { jobs: number }> = { short: { jobs: 60 }, long: { jobs: 200 } };
/** slower than a lock renewal, faster than the probe timeout of the test apps (2 s): the instance stays healthy */
const PROVIDER_LATENCY_MS = 1500;
const VICTIM_PORT = APP_PORTS.worker + 30;

/**
 * Issue 11, scenario 1. Every job is queued first (the suite's worker is stopped), then two fresh
 * workers take them; once one of them runs jobs whose upstream calls are under way it gets SIGKILL.
 * Its jobs are taken over by the other worker when their locks expire. Checked per job: completed,
 * its own result, that result recorded once (one assistant message in its conversation), one
 * `job.completed` event (a durable tap counts them by message id). Upstream calls are counted by
 * provider-sim: the calls beyond one per job are the retries of the killed worker's jobs.
 */
export const workerKillScenario: Scenario = {
  id: 1,
  name: 'kill -9 a worker while async jobs are in flight',
  async run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult> {
    const { jobs: count } = SIZES[form];
    const model = `chaos1-${RUN}`;
    const sim = await addSimInstance(model, { models: [model], latencyMs: PROVIDER_LATENCY_MS }, { maxConcurrency: 10_000 });
    const queue = new Queue(QUEUES.ai, { connection: bullConnection(REDIS_URL) });
    queue.on('error', () => undefined);
    const tap = await DurableEventTap.open([EVENTS.jobCompleted, EVENTS.jobFailed]);
    const workers: AppProcess[] = [];
    const key = await chaosKey('worker-kill');
    try {
      await waitForModel(model);
      await stopSuiteWorkers();
      log(`no worker runs; submitting ${count} async jobs (the provider answers in ${PROVIDER_LATENCY_MS} ms)`);
      const started = Date.now();
      const submitted = await mapLimit(Array.from({ length: count }, (_, i) => i), 16, (i) => submitJob(key.key, model, `chaos1 ${RUN} job ${i}`));
      const jobs = submitted.flatMap((s) => (s.job ? [s.job] : []));
      if (jobs.length < count) throw new Error(`only ${jobs.length} of ${count} jobs were accepted: ${submitted.find((s) => !s.job)?.code}`);
      const ours = new Set(jobs.map((j) => j.jobId));

      workers.push(...(await Promise.all([startReplacementWorker({ port: VICTIM_PORT }), startReplacementWorker()])));
      const victim = workers[0];
      const running = await waitFor(
        'the first worker to run jobs with their upstream calls under way',
        async () => {
          const mine = (await queue.getActive()).filter((job) => ours.has(job.id as string) && job.processedBy && pidOfProcessor(job.processedBy) === victim.child.pid);
          return mine.length >= 4 && sim.sim.stats().chatCompletions >= 4 && mine.length;
        },
        30_000,
        25,
      );
      const finishedBefore = jobs.filter((j) => tap.distinctBy(EVENTS.jobCompleted, 'jobId').has(j.jobId)).length;
      if (!isWorkerProcess(victim.child.pid!)) throw new Error('the worker to kill is gone already');
      process.kill(victim.child.pid!, 'SIGKILL');
      const killedAt = Date.now();
      log(`SIGKILL worker pid ${victim.child.pid} running ${running} of our jobs; ${jobs.length - finishedBefore} jobs in flight`);

      const views = await settleJobs(key.key, jobs, form === 'long' ? 180_000 : 90_000, log);
      const finishedAt = Math.max(...[...views.values()].map((v) => (v?.finishedAt ? Date.parse(v.finishedAt) : 0)));
      // the events of the last jobs may still be on their way
      await waitFor('every job.completed event', async () => jobs.every((j) => tap.distinctBy(EVENTS.jobCompleted, 'jobId').has(j.jobId)), 15_000, 100).catch(() => undefined);
      const check = await checkJobs(key.key, jobs, views);
      const events = tap.distinctBy(EVENTS.jobCompleted, 'jobId');
      const missingEvents = jobs.filter((j) => !events.has(j.jobId)).length;
      const duplicateEvents = jobs.reduce((n, j) => n + Math.max(0, (events.get(j.jobId)?.length ?? 0) - 1), 0);
      const failedEvents = tap.distinctBy(EVENTS.jobFailed, 'jobId');
      const upstreamCalls = sim.sim.stats().chatCompletions;
      const figures = {
        jobs: jobs.length,
        inFlightAtKill: jobs.length - finishedBefore,
        runningOnKilledWorker: running,
        completed: check.completed,
        failed: check.failed,
        lost: check.lost,
        wrongResults: check.wrongResult,
        duplicateResults: check.duplicateResults,
        events: events.size,
        missingEvents,
        duplicateEvents,
        upstreamCalls,
        upstreamRetries: upstreamCalls - jobs.length,
        lastJobDoneAfterKillS: seconds(finishedAt - killedAt),
        totalS: seconds(Date.now() - started),
      };
      const notes: string[] = [];
      if (check.failures.length) notes.push(`jobs not completed as they should: ${check.failures.slice(0, 5).join('; ')}`);
      if (failedEvents.size) notes.push(`${failedEvents.size} job.failed event(s)`);
      const pass = check.completed === jobs.length && check.wrongResult === 0 && check.duplicateResults === 0 && missingEvents === 0 && duplicateEvents === 0;
      return { pass, figures, notes };
    } finally {
      await tap.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      // the one that survived stays as the suite's worker (default port); the killed one is gone
      await Promise.all(workers.filter((w) => w.port !== APP_PORTS.worker).map((w) => stopApp(w)));
      await sim.close();
      await revokeKey(key.id);
    }
  },
};

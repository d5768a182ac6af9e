import { addSimInstance, waitForModel, stackAsync } from '@ish/test-support';
import { ChaosForm, Scenario, ScenarioResult } from '../scenario';
import { call, chaosKey, revokeKey, RUN } from '../support/client';
import { mapLimit, percentile, seconds, sleep, tally } from '../support/figures';
import { checkJobs, settleJobs, submitJob, SubmittedJob } from '../support/jobs';
import { LoadRun } from '../support/load';
import { waitAllReady } from '../support/system';

const SIZES: Record<ChaosForm, { backlog: number; warmS: number; afterS: number; submitters: number; syncClients: number }> = {
  short: { backlog: 40, warmS: 2, afterS: 3, submitters: 2, syncClients: 2 },
  long: { backlog: 300, warmS: 10, afterS: 20, submitters: 4, syncClients: 4 },
};
const RATE_LIMIT = 5;
/** the worker holds 16 jobs at a time: a backlog of slower jobs is still waiting in Redis at the restart */
const PROVIDER_LATENCY_MS = 1000;

/**
 * Issue 11, scenario 3. A backlog of async jobs waits in Redis (BullMQ), more are submitted and sync
 * chat runs, when Redis (AOF on) is restarted. Every accepted job must complete, once; the apps must
 * become ready again by themselves. Rate limits: a key limited to 5 requests a minute is refused
 * before the restart, and afterwards a fresh key with the same limit gets exactly 5 answers and then
 * 429 across both relays (the shared count in Redis is back, not each process counting on its own).
 */
export const redisRestartScenario: Scenario = {
  id: 3,
  name: 'restart Redis (AOF) under load',
  async run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult> {
    const size = SIZES[form];
    const jobsModel = `chaos3-jobs-${RUN}`;
    const syncModel = `chaos3-sync-${RUN}`;
    const jobsSim = await addSimInstance(jobsModel, { models: [jobsModel], latencyMs: PROVIDER_LATENCY_MS }, { maxConcurrency: 10_000 });
    const syncSim = await addSimInstance(syncModel, { models: [syncModel], latencyMs: 50 }, { maxConcurrency: 10_000 });
    const key = await chaosKey('redis');
    const limited = await chaosKey('redis-limited', ['chat'], RATE_LIMIT);
    const fresh = await chaosKey('redis-limited-after', ['chat'], RATE_LIMIT);
    try {
      await Promise.all([waitForModel(jobsModel), waitForModel(syncModel)]);
      // the limiter works before the fault: the 6th request of the minute is refused
      const before = await burst(limited.key, RATE_LIMIT + 1);
      if (before.ok !== RATE_LIMIT) throw new Error(`before the restart the limited key got ${before.statuses} (expected ${RATE_LIMIT} answers, then 429)`);

      const jobs: SubmittedJob[] = [];
      const backlog = await mapLimit(Array.from({ length: size.backlog }, (_, i) => i), 16, (i) => submitJob(key.key, jobsModel, `chaos3 ${RUN} backlog ${i}`));
      jobs.push(...backlog.flatMap((s) => (s.job ? [s.job] : [])));
      if (jobs.length < size.backlog) throw new Error(`only ${jobs.length} of ${size.backlog} backlog jobs were accepted`);
      const load = new LoadRun()
        .add('submit', size.submitters, async (n) => {
          const submitted = await submitJob(key.key, jobsModel, `chaos3 ${RUN} load ${jobs.length} ${n}`);
          if (submitted.job) jobs.push(submitted.job);
          return submitted;
        }, 200)
        .add('sync', size.syncClients, (n) =>
          call('POST', '/api/v1/chat/completions', { token: key.key, body: { model: syncModel, messages: [{ role: 'user', content: `chaos3 sync ${n}` }] }, timeoutMs: 20_000 }),
        );
      await sleep(size.warmS * 1000);
      const at = Date.now();
      const acceptedBefore = jobs.length;
      log(`restarting Redis with ${acceptedBefore} jobs accepted, most of them waiting`);
      await stackAsync('restart', 'redis');
      const redisBack = Date.now();
      await waitAllReady(120_000);
      const appsReady = Date.now();
      log(`Redis back after ${seconds(redisBack - at)} s, every app ready ${seconds(appsReady - redisBack)} s later`);
      await sleep(size.afterS * 1000);
      await load.stop();

      // rate limits: the count is shared again (both relays answer through the gateway)
      const limitedAfter = await burst(limited.key, 1);
      const after = await burst(fresh.key, RATE_LIMIT * 2);

      const views = await settleJobs(key.key, jobs, form === 'long' ? 300_000 : 120_000, log);
      const check = await checkJobs(key.key, jobs, views);
      const during = load.samples.filter((s) => s.start < appsReady && s.end >= at);
      const submitsDuring = during.filter((s) => s.client === 'submit');
      const upstreamCalls = jobsSim.sim.stats().chatCompletions;
      const figures = {
        jobs: jobs.length,
        acceptedBeforeRestart: acceptedBefore,
        redisDownS: seconds(redisBack - at),
        appsReadyS: seconds(appsReady - redisBack),
        completed: check.completed,
        lost: check.lost + check.failed,
        wrongResults: check.wrongResult,
        duplicateResults: check.duplicateResults,
        upstreamRetries: upstreamCalls - jobs.length,
        submitsDuring: submitsDuring.length,
        submitFailedDuring: submitsDuring.filter((s) => !s.ok).length,
        submitMaxMsDuring: Math.max(0, ...submitsDuring.map((s) => s.end - s.start)),
        syncOk: `${load.of('sync').filter((s) => s.ok).length}/${load.of('sync').length}`,
        syncP99Ms: percentile(load.of('sync').map((s) => s.end - s.start), 99),
        rateLimitBefore: before.statuses,
        rateLimitAfter: after.statuses,
        limitedKeyAfter: limitedAfter.statuses,
      };
      const notes: string[] = [];
      const failures = load.samples.filter((s) => !s.ok);
      if (failures.length) notes.push(`failed requests (client:status:code): ${tally(failures.map((s) => `${s.client}:${s.status}:${s.code ?? ''}`))}`);
      if (check.failures.length) notes.push(`jobs not completed as they should: ${check.failures.slice(0, 5).join('; ')}`);
      const limitsBack = after.ok === RATE_LIMIT && after.limited === RATE_LIMIT && after.retryAfter;
      if (!limitsBack) notes.push(`after the restart a fresh key limited to ${RATE_LIMIT}/min got ${after.statuses}`);
      const afterRecovery = load.samples.filter((s) => s.start > appsReady + 1000);
      const recovered = afterRecovery.length > 0 && afterRecovery.every((s) => s.ok);
      if (!recovered) notes.push(`requests still failing after every app was ready: ${tally(afterRecovery.filter((s) => !s.ok).map((s) => `${s.client}:${s.status}:${s.code ?? ''}`))}`);
      const pass = check.completed === jobs.length && check.duplicateResults === 0 && check.wrongResult === 0 && !!limitsBack && recovered;
      return { pass, figures, notes };
    } finally {
      await Promise.all([jobsSim.close(), syncSim.close()]);
      await Promise.all([key, limited, fresh].map((k) => revokeKey(k.id)));
    }
  },
};

/** `n` requests in a row with `token`: how many were answered, how many refused with 429 (and whether with Retry-After). */
async function burst(token: string, n: number): Promise<{ ok: number; limited: number; retryAfter: boolean; statuses: string }> {
  const statuses: number[] = [];
  let retryAfter = true;
  for (let i = 0; i < n; i++) {
    const answer = await call('GET', '/api/v1/models', { token, timeoutMs: 10_000 });
    statuses.push(answer.status);
    if (answer.status === 429 && !answer.headers?.get('retry-after')) retryAfter = false;
  }
  return { ok: statuses.filter((s) => s === 200).length, limited: statuses.filter((s) => s === 429).length, retryAfter, statuses: tally(statuses) };
}

import { EVENTS } from '@ish/contracts';
import { TEST_STACK, addSimInstance, waitForModel, stackAsync, waitFor, WebhookReceiver } from '@ish/test-support';
import { ChaosForm, Scenario, ScenarioResult } from '../scenario';
import { adminKey, call, chaosKey, revokeKey, RUN } from '../support/client';
import { DurableEventTap } from '../support/event-tap';
import { firstAfter, seconds, sleep, tally } from '../support/figures';
import { checkJobs, settleJobs, submitJob, SubmittedJob } from '../support/jobs';
import { LoadRun } from '../support/load';
import { PortWatch } from '../support/port-watch';
import { waitAllReady } from '../support/system';
import { subscribe, webhooksByJob } from '../support/webhooks';

type Fault = 'restart' | 'kill';

const SIZES: Record<ChaosForm, { faults: Fault[]; warmS: number; afterS: number; submitters: number; syncClients: number }> = {
  short: { faults: ['restart'], warmS: 3, afterS: 3, submitters: 2, syncClients: 2 },
  // a clean restart, then a crash (SIGKILL, then start), with load throughout
  long: { faults: ['restart', 'kill'], warmS: 15, afterS: 20, submitters: 4, syncClients: 4 },
};

interface FaultWindow {
  fault: Fault;
  /** when the broker stopped accepting connections (a clean restart first takes a while to stop) */
  at: number;
  brokerBack: number;
  appsReady: number;
}

/**
 * Issue 11, scenario 2. Under steady load — async jobs (each ends in a `job.completed` event, which
 * the worker turns into a webhook), sync chat, and a fresh API key every half second whose first use
 * is verified by auth over RabbitMQ — the broker is restarted (long form: also killed with SIGKILL).
 * No event may be lost: every accepted job completes, its `job.completed` reaches a durable queue
 * (publisher confirms, quorum queues) and its webhook reaches the consumer. Every app must become ready
 * again by itself. The gap is the time from the fault until the first success of a request that needs
 * the broker, and until the first event of a job finished after the fault reaches the consumer.
 */
export const rabbitmqRestartScenario: Scenario = {
  id: 2,
  name: 'restart RabbitMQ under load',
  async run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult> {
    const size = SIZES[form];
    const model = `chaos2-${RUN}`;
    const sim = await addSimInstance(model, { models: [model], latencyMs: 100 }, { maxConcurrency: 10_000 });
    const key = await chaosKey('rabbitmq', ['chat', 'webhooks']);
    const receiver = await WebhookReceiver.start();
    const subscription = await subscribe(key.key, receiver, [EVENTS.jobCompleted], `chaos 2 ${RUN}`);
    const tap = await DurableEventTap.open([EVENTS.jobCompleted]);
    const freshKeys: string[] = [];
    try {
      await waitForModel(model);
      const jobs: SubmittedJob[] = [];
      const load = new LoadRun()
        .add('submit', size.submitters, async (n) => {
          const submitted = await submitJob(key.key, model, `chaos2 ${RUN} ${jobs.length} ${n}`);
          if (submitted.job) jobs.push(submitted.job);
          return submitted;
        }, 100)
        .add('sync', size.syncClients, (n) =>
          call('POST', '/api/v1/chat/completions', { token: key.key, body: { model, messages: [{ role: 'user', content: `chaos2 sync ${n}` }] }, timeoutMs: 20_000 }),
        )
        .add('fresh-key', 1, async () => {
          // a key never seen before: the relay must ask auth over RabbitMQ whether it is valid
          const created = await call<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', { token: adminKey(), body: { name: `chaos2 probe ${RUN}`, scopes: ['chat'] } });
          if (created.status !== 201) return created;
          freshKeys.push(created.body.id);
          return call('GET', '/api/v1/models', { token: created.body.key, timeoutMs: 20_000 });
        }, 500);
      const windows: FaultWindow[] = [];
      await sleep(size.warmS * 1000);
      for (const fault of size.faults) {
        const asked = Date.now();
        log(`${fault === 'restart' ? 'restarting' : 'SIGKILL to'} RabbitMQ (${jobs.length} jobs accepted so far)`);
        const watch = new PortWatch(Number(TEST_STACK.AMQP_PORT));
        if (fault === 'restart') await stackAsync('restart', 'rabbitmq');
        else {
          await stackAsync('kill', 'rabbitmq');
          await stackAsync('start', 'rabbitmq');
        }
        const brokerBack = Date.now();
        const at = (await watch.stop()) ?? asked;
        await waitAllReady(120_000);
        windows.push({ fault, at, brokerBack, appsReady: Date.now() });
        log(`RabbitMQ back after ${seconds(brokerBack - at)} s, every app ready ${seconds(Date.now() - brokerBack)} s later`);
        await sleep(size.afterS * 1000);
      }
      await load.stop();

      const views = await settleJobs(key.key, jobs, 120_000, log);
      await waitFor('every job’s event and webhook', async () => {
        const events = tap.distinctBy(EVENTS.jobCompleted, 'jobId');
        const hooks = webhooksByJob(receiver, subscription.secret).byJob;
        return jobs.every((j) => events.has(j.jobId) && hooks.has(j.jobId));
      }, 60_000, 250).catch(() => undefined);
      const check = await checkJobs(key.key, jobs, views);
      const events = tap.distinctBy(EVENTS.jobCompleted, 'jobId');
      const { byJob: hooks, invalid } = webhooksByJob(receiver, subscription.secret);
      const finishedAt = (jobId: string) => Date.parse(views.get(jobId)?.finishedAt ?? '') || 0;

      const figures: Record<string, string | number> = { jobs: jobs.length };
      windows.forEach((w, i) => {
        const next = windows[i + 1]?.at ?? Infinity;
        const started = (client: string) => load.of(client).filter((s) => s.start >= w.at && s.start < next);
        const rpcGap = firstAfter(started('fresh-key').filter((s) => s.ok).map((s) => s.end), w.at);
        const eventGap = firstAfter(jobs.filter((j) => finishedAt(j.jobId) >= w.at && finishedAt(j.jobId) < next && hooks.has(j.jobId)).map((j) => hooks.get(j.jobId)!.firstAt), w.at);
        const during = load.samples.filter((s) => s.start < w.appsReady && s.end >= w.at);
        const p = windows.length > 1 ? `${w.fault}.` : '';
        figures[`${p}brokerDownS`] = seconds(w.brokerBack - w.at);
        figures[`${p}appsReadyS`] = seconds(w.appsReady - w.brokerBack);
        figures[`${p}rpcGapS`] = rpcGap === undefined ? 'never' : seconds(rpcGap);
        figures[`${p}eventGapS`] = eventGap === undefined ? 'never' : seconds(eventGap);
        figures[`${p}syncFailedDuring`] = during.filter((s) => s.client === 'sync' && !s.ok).length;
        figures[`${p}submitFailedDuring`] = during.filter((s) => s.client === 'submit' && !s.ok).length;
      });
      const missingEvents = jobs.filter((j) => !events.has(j.jobId)).length;
      const duplicateEvents = jobs.reduce((n, j) => n + Math.max(0, (events.get(j.jobId)?.length ?? 0) - 1), 0);
      const missingWebhooks = jobs.filter((j) => !hooks.has(j.jobId)).length;
      const failures = load.samples.filter((s) => !s.ok);
      Object.assign(figures, {
        completed: check.completed,
        lost: check.lost + check.failed,
        wrongResults: check.wrongResult,
        duplicateResults: check.duplicateResults,
        events: events.size,
        missingEvents,
        duplicateEvents,
        webhooks: hooks.size,
        missingWebhooks,
        duplicateWebhooks: [...hooks.values()].reduce((n, h) => n + h.deliveryIds.size - 1, 0),
        syncOk: `${load.of('sync').filter((s) => s.ok).length}/${load.of('sync').length}`,
        freshKeyOk: `${load.of('fresh-key').filter((s) => s.ok).length}/${load.of('fresh-key').length}`,
      });
      const notes: string[] = [];
      if (failures.length) notes.push(`failed requests (client:status:code): ${tally(failures.map((s) => `${s.client}:${s.status}:${s.code ?? ''}`))}`);
      if (check.failures.length) notes.push(`jobs not completed as they should: ${check.failures.slice(0, 5).join('; ')}`);
      if (invalid) notes.push(`${invalid} webhook request(s) with a bad signature`);
      // after the last recovery, requests that need the broker work again
      const last = windows[windows.length - 1];
      const afterRecovery = load.samples.filter((s) => s.start > last.appsReady + 1000);
      const recovered = afterRecovery.length > 0 && afterRecovery.every((s) => s.ok);
      if (!recovered) notes.push(`requests still failing after every app was ready: ${tally(afterRecovery.filter((s) => !s.ok).map((s) => `${s.client}:${s.status}:${s.code ?? ''}`))}`);
      const pass = check.completed === jobs.length && check.wrongResult === 0 && check.duplicateResults === 0 && missingEvents === 0 && missingWebhooks === 0 && invalid === 0 && recovered;
      return { pass, figures, notes };
    } finally {
      await tap.close().catch(() => undefined);
      await subscription.remove().catch(() => undefined);
      await receiver.close();
      await sim.close();
      await Promise.all([key.id, ...freshKeys].map((id) => revokeKey(id).catch(() => undefined)));
    }
  },
};

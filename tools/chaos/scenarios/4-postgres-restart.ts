import { addSimInstance, waitForModel, signUp, stackAsync } from '@ish/test-support';
import { ChaosForm, Scenario, ScenarioResult } from '../scenario';
import { call, chaosKey, revokeKey, RUN } from '../support/client';
import { firstAfter, percentile, seconds, sleep, tally } from '../support/figures';
import { LoadRun, Sample } from '../support/load';
import { livePids, waitAllReady } from '../support/system';

const SIZES: Record<ChaosForm, { outageS: number; warmS: number; afterS: number; clients: number }> = {
  short: { outageS: 5, warmS: 2, afterS: 3, clients: 1 },
  long: { outageS: 30, warmS: 10, afterS: 15, clients: 3 },
};
/** "fail fast": far below the 15 s statement timeout and the 30 s a client would wait for a hung request */
const FAST_MS = 5000;

/**
 * Issue 11, scenario 4. Requests that need PostgreSQL on every service — sync relay (its conversation),
 * conversations, instances, webhooks, login — and one that does not (chat completions) run in
 * loops while PostgreSQL is stopped for a while and started again. During the outage each request
 * must either succeed or answer 503 in the API.md error shape, quickly; afterwards every request
 * succeeds again with the same app processes (no app was restarted).
 */
export const postgresRestartScenario: Scenario = {
  id: 4,
  name: 'restart PostgreSQL',
  async run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult> {
    const size = SIZES[form];
    const model = `chaos4-${RUN}`;
    const sim = await addSimInstance(model, { models: [model] }, { maxConcurrency: 10_000 });
    const key = await chaosKey('postgres', ['chat', 'instances:read', 'webhooks']);
    const user = await signUp('chaos4');
    try {
      await waitForModel(model);
      const pids = livePids();
      const token = key.key;
      const load = new LoadRun()
        .add('relay', size.clients, (n) => call('POST', '/api/v1/relay', { token, body: { message: `chaos4 ${RUN} ${n}`, model }, timeoutMs: 30_000 }), 100)
        .add('conversations', size.clients, () => call('GET', '/api/v1/conversations', { token, timeoutMs: 30_000 }), 100)
        .add('instances', size.clients, () => call('GET', '/api/v1/instances', { token, timeoutMs: 30_000 }), 100)
        .add('webhooks', size.clients, () => call('GET', '/api/v1/webhooks', { token, timeoutMs: 30_000 }), 100)
        .add('login', 1, () => call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password }, timeoutMs: 30_000 }), 250)
        .add('chat', size.clients, (n) => call('POST', '/api/v1/chat/completions', { token, body: { model, messages: [{ role: 'user', content: `chaos4 chat ${n}` }] }, timeoutMs: 30_000 }), 100);
      await sleep(size.warmS * 1000);
      const stoppedAt = Date.now();
      log(`stopping PostgreSQL for ${size.outageS} s`);
      await stackAsync('stop', 'postgres');
      const down = Date.now();
      await sleep(size.outageS * 1000);
      const startAt = Date.now();
      await stackAsync('start', 'postgres');
      const back = Date.now();
      await waitAllReady(120_000);
      const appsReady = Date.now();
      log(`PostgreSQL back (start took ${seconds(back - startAt)} s), every app ready ${seconds(appsReady - back)} s later`);
      await sleep(size.afterS * 1000);
      await load.stop();

      // sent while the database was away (from the moment it stopped until it was started again)
      const during = load.samples.filter((s) => s.start >= down && s.start < startAt);
      const unavailable = during.filter((s) => s.status === 503);
      const wrong = during.filter((s) => !s.ok && !(s.status === 503 && s.apiShape));
      const slow = during.filter((s) => s.end - s.start >= FAST_MS);
      // the stop itself: requests in flight while PostgreSQL shut down
      const around = load.samples.filter((s) => s.end >= stoppedAt && s.start < down && !s.ok && !(s.status === 503 && s.apiShape));
      const dbClients = ['relay', 'conversations', 'instances', 'webhooks', 'login'];
      const firstOk = (client: string) => firstAfter(load.of(client).filter((s) => s.ok && s.start >= back).map((s) => s.end), back);
      const afterRecovery = load.samples.filter((s) => s.start > appsReady + 1000);
      const recovered = afterRecovery.length > 0 && afterRecovery.every((s) => s.ok);
      const samePids = sameProcesses(pids, livePids());
      const latencies = unavailable.map((s) => s.end - s.start);
      const figures = {
        outageS: seconds(startAt - down),
        duringRequests: during.length,
        during503: unavailable.length,
        duringOk: during.filter((s) => s.ok).length,
        duringOther: wrong.length,
        fail503P50Ms: percentile(latencies, 50),
        fail503P99Ms: percentile(latencies, 99),
        fail503MaxMs: Math.max(0, ...latencies),
        chatOkDuring: `${during.filter((s) => s.client === 'chat' && s.ok).length}/${during.filter((s) => s.client === 'chat').length}`,
        firstOkAfterStartS: seconds(Math.max(...dbClients.map((c) => firstOk(c) ?? Infinity))),
        appsReadyAfterStartS: seconds(appsReady - back),
        sameProcesses: samePids ? 'yes' : 'no',
      };
      const notes: string[] = [];
      const describe = (samples: Sample[]) => tally(samples.map((s) => `${s.client}:${s.status}:${s.code ?? ''}${s.status === 503 && !s.apiShape ? ':not-api-shape' : ''}`));
      if (wrong.length) notes.push(`answers other than 2xx or 503 during the outage: ${describe(wrong)}`);
      if (around.length) notes.push(`answers other than 2xx or 503 while PostgreSQL shut down: ${describe(around)}`);
      if (slow.length) notes.push(`${slow.length} request(s) took ${FAST_MS} ms or more during the outage: ${describe(slow)}`);
      if (!recovered) notes.push(`requests still failing after every app was ready: ${describe(afterRecovery.filter((s) => !s.ok))}`);
      if (!samePids) notes.push('an app process was replaced or died');
      const pass = during.length > 0 && unavailable.length > 0 && wrong.length === 0 && around.length === 0 && slow.length === 0 && recovered && samePids;
      return { pass, figures, notes };
    } finally {
      await sim.close();
      await revokeKey(key.id);
    }
  },
};

function sameProcesses(before: Map<string, number>, after: Map<string, number>): boolean {
  return [...before.entries()].every(([app, pid]) => after.get(app) === pid);
}

import type { SimFault } from '@ish/provider-sim';
import { addSimInstance, SimInstance, waitForModel, api, waitFor } from '@ish/test-support';
import { ChaosForm, Scenario, ScenarioResult } from '../scenario';
import { adminKey, call, chaosKey, revokeKey, RUN } from '../support/client';
import { mapLimit, percentile, rate, tally } from '../support/figures';

const SIZES: Record<ChaosForm, { requests: number; concurrency: number }> = {
  short: { requests: 30, concurrency: 4 },
  long: { requests: 300, concurrency: 8 },
};
/** the instances' own request timeout: a hanging instance is given up on after this */
const INSTANCE_TIMEOUT_MS = 2000;
const FAULTS: { name: string; fault: SimFault }[] = [
  { name: '5xx', fault: { mode: 'error500' } },
  { name: 'hang', fault: { mode: 'hang' } },
  { name: '429', fault: { mode: 'rate_limit', retryAfterSeconds: 2 } },
];

/**
 * Issue 11, scenario 5. Three healthy provider instances serve one model, routed weighted-round-robin
 * so the faulty one keeps getting its share until health checks and its circuit take it out. One of
 * them answers 5xx, hangs (its 2 s request timeout applies), or answers 429 — each fault with three
 * fresh instances — while sync relay requests run, and every one of them must succeed (failover).
 */
export const providerFaultsScenario: Scenario = {
  id: 5,
  name: 'provider faults: one of three instances returns 5xx / hangs / 429',
  async run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult> {
    const size = SIZES[form];
    const policy = await api<{ strategy: string; fallbacks?: Record<string, string[]> }>('GET', '/api/v1/routing', { token: adminKey() });
    const sims: SimInstance[] = [];
    const key = await chaosKey('provider-faults');
    try {
      await api('PUT', '/api/v1/routing', { token: adminKey(), body: { strategy: 'weighted-round-robin', fallbacks: policy.body.fallbacks } });
      const figures: Record<string, string | number> = {};
      const notes: string[] = [];
      let pass = true;
      for (const { name, fault } of FAULTS) {
        // three fresh instances for each fault: an open circuit of the last one (30 s) does not leave two
        const model = `chaos5-${name}-${RUN}`;
        const three: SimInstance[] = [];
        for (const n of [1, 2, 3]) three.push(await addSimInstance(`${model}-${n}`, { models: [model] }, { maxConcurrency: 10_000, timeoutMs: INSTANCE_TIMEOUT_MS }));
        sims.push(...three);
        await waitForModel(model);
        await allHealthy(three);
        const [faulty] = three;
        faulty.sim.setFault(fault);
        log(`${name}: one of three instances faulty (${fault.mode}); ${size.requests} sync relay requests, ${size.concurrency} at a time`);
        const results = await mapLimit(Array.from({ length: size.requests }, (_, n) => n), size.concurrency, async (n) => {
          const started = Date.now();
          const message = `chaos5 ${RUN} ${name} ${n}`;
          const answer = await call<{ reply: string }>('POST', '/api/v1/relay', { token: key.key, body: { message, model }, timeoutMs: 60_000, expectOk: (b) => b.reply.includes(message) });
          return { ...answer, ms: Date.now() - started };
        });
        faulty.sim.clearFault();
        const calls = three.map((s) => s.sim.stats().chatCompletions);
        const ok = results.filter((r) => r.ok).length;
        const latencies = results.map((r) => r.ms);
        figures[`${name}.ok`] = rate(ok, results.length);
        figures[`${name}.p50Ms`] = percentile(latencies, 50);
        figures[`${name}.p99Ms`] = percentile(latencies, 99);
        figures[`${name}.faultyCalls`] = calls[0];
        figures[`${name}.failovers`] = calls.reduce((a, b) => a + b, 0) - ok;
        if (ok < results.length) {
          pass = false;
          notes.push(`${name}: failed requests ${tally(results.filter((r) => !r.ok).map((r) => `${r.status}:${r.code ?? ''}`))}`);
        }
        if (calls[0] === 0) notes.push(`${name}: the faulty instance got no request (it was out of rotation before the first one)`);
      }
      return { pass, figures, notes };
    } finally {
      await api('PUT', '/api/v1/routing', { token: adminKey(), body: { strategy: policy.body.strategy, fallbacks: policy.body.fallbacks } });
      for (const sim of sims) await sim.close();
      await revokeKey(key.id);
    }
  },
};

/** Waits until every instance is healthy with a closed circuit. */
async function allHealthy(sims: SimInstance[]): Promise<void> {
  await waitFor('every instance to be healthy', async () => {
    for (const sim of sims) {
      const view = await api<{ status: string; circuit: string }>('GET', `/api/v1/instances/${sim.id}`, { token: adminKey() });
      if (view.body.status !== 'healthy' || view.body.circuit !== 'closed') return false;
    }
    return true;
  }, 60_000, 200);
}


// GET /api/v1/stats through the gateway: the live figures after known calls (rates, errors, latency
// percentiles, in flight, spend today), the Prometheus token and cost counters of the same calls, a
// queue filling while no worker runs and draining once one does, and who may read them.
import type { StatsView } from '@ish/contracts';
import { APP_PORTS, SECOND_RELAY_PORT, addSimInstance, api, ensureSuiteWorker, serviceUrl, signUp, signUpOperator, SimInstance, stopSuiteWorkers, waitFor, waitForModel } from '@ish/test-support';

const RUN = Date.now().toString(36);
const MODEL = `stats-${RUN}`;
const SIM_LATENCY_MS = 400;
const SLOW_CALL_MS = 2500;
// one US dollar per token: a call's cost is its token count, so spend is checked exactly
const PRICES = { [MODEL]: { inputPerMTok: 1_000_000, outputPerMTok: 1_000_000 } };

type RelayAnswer = { usage: { promptTokens: number; completionTokens: number } };

/** One counter's value summed over both relays' /metrics. */
async function relayCounter(name: string, labels: string): Promise<number> {
  let total = 0;
  for (const port of [APP_PORTS.relay, SECOND_RELAY_PORT]) {
    const text = await (await fetch(`${serviceUrl('relay', port)}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}`));
    if (line) total += Number(line.split(' ').pop());
  }
  return total;
}

describe('GET /api/v1/stats', () => {
  let sim: SimInstance;
  let operator: Awaited<ReturnType<typeof signUp>>;
  const stats = async () => {
    const response = await api<StatsView>('GET', '/api/v1/stats', { token: operator.accessToken });
    expect(response.status).toBe(200);
    return response.body;
  };
  const relay = (message: string) => api<RelayAnswer>('POST', '/api/v1/relay', { token: operator.accessToken, body: { message, model: MODEL } });

  beforeAll(async () => {
    operator = await signUpOperator('stats');
    sim = await addSimInstance(`stats-${RUN}`, { models: [MODEL], latencyMs: SIM_LATENCY_MS }, { prices: PRICES });
    await waitForModel(MODEL);
  });

  afterAll(async () => {
    await ensureSuiteWorker();
    await sim?.close();
  });

  it('refuses a caller without instances:read (a plain user) with 403, and no credential with 401', async () => {
    const user = await signUp('stats-user');
    const refused = await api<{ error: { type: string } }>('GET', '/api/v1/stats', { token: user.accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error.type).toBe('permission_error');
    expect((await api('GET', '/api/v1/stats')).status).toBe(401);
  });

  it('counts the calls of the last minute: rate, errors, p50/p95 of successes, in flight, spend today, token and cost counters', async () => {
    // figures over a window are exact only when the window holds nothing but this test's calls
    await waitFor('a minute without upstream calls', async () => (await stats()).requests.count === 0, 75_000, 1000);
    const before = await stats();
    expect(before).toEqual({
      at: expect.any(String),
      windowSeconds: 60,
      requests: { count: 0, errors: 0, perSecond: 0, errorRate: 0, p50LatencyMs: 0, p95LatencyMs: 0 },
      instances: expect.arrayContaining([{ id: sim.id, name: `stats-${RUN}`, providerType: 'openai-compatible', status: 'healthy', circuit: 'closed', inFlight: 0 }]),
      queues: { ai: expect.any(Object), adb: expect.any(Object), webhooks: expect.any(Object) },
      spendTodayUsd: expect.any(Number),
    });
    expect(Date.now() - Date.parse(before.at)).toBeLessThan(5000);
    const promptBefore = await relayCounter('ish_upstream_tokens_total', `model="${MODEL}",provider="openai-compatible",kind="prompt"`);

    // one slow call, seen in flight while it runs
    sim.sim.setFault({ mode: 'slow', delayMs: SLOW_CALL_MS, count: 1, callsOnly: true });
    const slow = relay('a slow one');
    const during = await waitFor('the slow call in flight', async () => {
      const now = await stats();
      return (now.instances.find((i) => i.id === sim.id)?.inFlight ?? 0) >= 1 && now;
    }, SLOW_CALL_MS, 100);
    expect(during.instances.find((i) => i.id === sim.id)?.inFlight).toBe(1);
    const answers = [await slow];
    // eight quick ones, then one the instance fails
    answers.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => relay(`quick ${i}`)))));
    for (const answer of answers) expect(answer.status).toBe(200);
    sim.sim.setFault({ mode: 'error500', count: 1, callsOnly: true });
    expect((await relay('this one fails')).status).toBeGreaterThanOrEqual(500);

    const after = await waitFor('the calls in the window', async () => {
      const now = await stats();
      return now.requests.count >= 10 && now;
    }, 10_000, 200);
    const { count, errors, perSecond, errorRate, p50LatencyMs, p95LatencyMs } = after.requests;
    expect(errors).toBe(count - 9);
    expect(errors).toBeGreaterThanOrEqual(1);
    expect(perSecond).toBeCloseTo(count / 60, 3);
    expect(errorRate).toBeCloseTo(errors / count, 3);
    // of the nine successes eight took the sim's 400 ms and one 2.5 s: the median is quick, the 95th percentile near the slow one
    expect(p50LatencyMs).toBeGreaterThanOrEqual(SIM_LATENCY_MS);
    expect(p50LatencyMs).toBeLessThan(SLOW_CALL_MS / 2);
    expect(p95LatencyMs).toBeGreaterThan(SLOW_CALL_MS / 2);
    expect(p95LatencyMs).toBeLessThan(SLOW_CALL_MS + 1000);
    // relays write their in-flight counts once a second: the finished calls drop out on the next write
    await waitFor('nothing in flight', async () => (await stats()).instances.find((i) => i.id === sim.id)?.inFlight === 0, 3000, 100);

    const tokens = answers.reduce((sum, a) => sum + a.body.usage.promptTokens + a.body.usage.completionTokens, 0);
    const prompt = answers.reduce((sum, a) => sum + a.body.usage.promptTokens, 0);
    expect(tokens).toBeGreaterThan(0);
    expect(after.spendTodayUsd - before.spendTodayUsd).toBeCloseTo(tokens, 4);

    expect((await relayCounter('ish_upstream_tokens_total', `model="${MODEL}",provider="openai-compatible",kind="prompt"`)) - promptBefore).toBe(prompt);
    expect(await relayCounter('ish_upstream_tokens_total', `model="${MODEL}",provider="openai-compatible",kind="completion"`)).toBe(tokens - prompt);
    expect(await relayCounter('ish_upstream_cost_usd_total', `model="${MODEL}",provider="openai-compatible"`)).toBeCloseTo(tokens, 4);
  }, 120_000);

  it('shows the ai queue filling while no worker runs and draining once one does', async () => {
    await stopSuiteWorkers();
    const jobs = 5;
    for (let i = 0; i < jobs; i++) {
      const submitted = await api('POST', '/api/v1/relay', { token: operator.accessToken, body: { message: `queued ${i}`, model: MODEL, mode: 'async' } });
      expect(submitted.status).toBe(202);
    }
    const filled = await waitFor('the jobs waiting in the ai queue', async () => {
      const now = await stats();
      return (now.queues.ai?.waiting ?? 0) >= jobs && now;
    }, 10_000, 200);
    expect(filled.queues.ai).toEqual({ waiting: expect.any(Number), active: 0, delayed: expect.any(Number), failed: expect.any(Number) });
    for (const queue of ['adb', 'webhooks'] as const) expect(filled.queues[queue]).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });

    await ensureSuiteWorker();
    const drained = await waitFor('the ai queue drained', async () => {
      const now = await stats();
      return now.queues.ai?.waiting === 0 && now.queues.ai.active === 0 && now;
    }, 30_000, 200);
    expect(drained.queues.ai?.failed).toBe(filled.queues.ai?.failed);
  }, 90_000);
});

import { APP_PORTS, testSecrets, api } from '@ish/test-support';
import { load, machine, table, withSystem } from './harness';

/**
 * Issue 4: what authentication adds to a request, at 64 concurrent clients, on one relay process:
 * the same trivial route with the guard skipped (`/health`) and with it (`/api/v1/models`: API key
 * verified from the in-process cache, scope check, rate limit counted in Redis).
 */
const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);

async function main(): Promise<void> {
  await withSystem(async () => {
    const admin = testSecrets().adminApiKey;
    const key = (await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: { name: 'bench', scopes: ['chat'], rateLimitPerMinute: 1_000_000 } })).body.key;
    const relay = `http://127.0.0.1:${APP_PORTS.relay}`;
    await load({ url: `${relay}/api/v1/models`, connections: 8, duration: 2, headers: { authorization: `Bearer ${key}` } });
    const open = await load({ url: `${relay}/health`, connections: CONNECTIONS, duration: DURATION_S });
    const guarded = await load({ url: `${relay}/api/v1/models`, connections: CONNECTIONS, duration: DURATION_S, headers: { authorization: `Bearer ${key}` } });
    console.log(`\nAuthenticated-request overhead — ${machine()}, ${CONNECTIONS} connections, ${DURATION_S} s each, one relay process\n`);
    console.log(
      table(
        ['route', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'],
        [
          ['GET /health (no guard)', open.requestsPerSecond.toFixed(0), open.p50Ms, open.p99Ms, open.errors, open.non2xx],
          ['GET /api/v1/models (API key, scope, rate limit)', guarded.requestsPerSecond.toFixed(0), guarded.p50Ms, guarded.p99Ms, guarded.errors, guarded.non2xx],
        ],
      ),
    );
    // the relay is one Node process: 1000 / throughput is the time each request costs it
    const costMs = (rps: number) => 1000 / rps;
    console.log(`\nguard cost per request (process time, from throughput): ${(costMs(guarded.requestsPerSecond) - costMs(open.requestsPerSecond)).toFixed(3)} ms`);
    console.log(`added latency at ${CONNECTIONS} clients: p50 ${(guarded.p50Ms - open.p50Ms).toFixed(2)} ms, p99 ${(guarded.p99Ms - open.p99Ms).toFixed(2)} ms`);
  });
}

void main();

import { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { APP_PORTS, GATEWAY_URL, REDIS_URL, STACK_DIR, testSecrets } from '../../tests/support/env';
import { api } from '../../tests/support/http';
import { waitForModel } from '../../tests/support/instances';
import { AppProcess, startApp, stopApp, waitFor, waitReady } from '../../tests/support/system';
import { load, LoadResult, machine, rssMb, simProcess, table, withSystem } from './harness';

/**
 * Issue 6 figures: (a) sync relay through the gateway and at the relay port vs the same request sent
 * straight to provider-sim, 64 clients; (b) async jobs per second end to end with 1, 2 and 4 worker
 * processes against a provider answering in 100 ms; (c) RSS of relay and workers under that load.
 */
const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const JOBS = Number(process.env.BENCH_JOBS ?? 600);

async function main(): Promise<void> {
  await withSystem(async () => {
    const admin = testSecrets().adminApiKey;
    // the simulators run as processes of their own, so the load generator never starves them
    const fast = await simProcess('bench-fast', 19101, 0, admin);
    const slow = await simProcess('bench-100ms', 19102, 100, admin);
    await waitForModel('bench-fast');
    await waitForModel('bench-100ms');
    const key = (await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: { name: 'bench', scopes: ['chat'], rateLimitPerMinute: 0 } })).body.key;
    const pids = JSON.parse(readFileSync(resolve(STACK_DIR, 'apps.json'), 'utf8')) as { service: string; port: number; pid: number }[];
    const relayPid = pids.find((p) => p.service === 'relay' && p.port === APP_PORTS.relay)!.pid;

    // (a) sync relay vs direct
    const body = JSON.stringify({ model: 'bench-fast', messages: [{ role: 'user', content: 'benchmark message of a few words' }] });
    const post = (url: string, auth?: string) =>
      load({ url, method: 'POST', body, connections: CONNECTIONS, duration: DURATION_S, headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) } });
    await post(`http://127.0.0.1:${APP_PORTS.relay}/api/v1/chat/completions`, key);
    const direct = await post(`${fast.url}/v1/chat/completions`);
    const relayPort = await post(`http://127.0.0.1:${APP_PORTS.relay}/api/v1/chat/completions`, key);
    const relayRss = rssMb(relayPid);
    const gateway = await post(`${GATEWAY_URL}/api/v1/chat/completions`, key);
    const row = (name: string, r: LoadResult) => [name, r.requestsPerSecond.toFixed(0), (r.requestsPerSecond / direct.requestsPerSecond).toFixed(2), r.p50Ms, r.p99Ms, (r.p50Ms - direct.p50Ms).toFixed(1), (r.p99Ms - direct.p99Ms).toFixed(1), r.errors + r.non2xx];
    console.log(`\n(a) sync chat completion, ${CONNECTIONS} clients, ${DURATION_S} s — ${machine()}\n`);
    console.log(
      table(
        ['path', 'req/s', 'vs direct', 'p50 ms', 'p99 ms', 'added p50', 'added p99', 'errors'],
        [row('provider-sim directly', direct), row('relay port (one process)', relayPort), row('gateway (nginx, two relays)', gateway)],
      ),
    );

    // (b) async jobs with 1, 2, 4 workers; (c) memory
    const queue = new Queue('ai', { connection: { url: REDIS_URL } as never });
    const scaling: (string | number)[][] = [];
    let baseline = 0;
    const suiteWorker = pids.find((p) => p.service === 'worker')!;
    process.kill(suiteWorker.pid, 'SIGTERM');
    await waitFor('the suite worker to stop', async () => {
      try {
        process.kill(suiteWorker.pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 30_000, 100);
    for (const count of [1, 2, 4]) {
      // jobs are submitted first (the submission rate is the relay's), then drained by `count` workers
      const submitStarted = Date.now();
      let submitted = 0;
      const submitters = Array.from({ length: 16 }, async () => {
        while (submitted < JOBS) {
          submitted++;
          const r = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { message: 'async benchmark', model: 'bench-100ms', mode: 'async' } });
          if (r.status !== 202) throw new Error(`submit failed: ${r.status} ${JSON.stringify(r.body)}`);
        }
      });
      await Promise.all(submitters);
      const submitRate = JOBS / ((Date.now() - submitStarted) / 1000);
      const workers: AppProcess[] = [];
      for (let i = 0; i < count; i++) workers.push(startApp('worker', { port: APP_PORTS.worker + 20 + i, env: { WORKER_CONCURRENCY: '32' } }));
      await Promise.all(workers.map((w) => waitReady(w)));
      const started = Date.now();
      let peakWorkerRss = 0;
      await waitFor('every job to complete', async () => {
        peakWorkerRss = Math.max(peakWorkerRss, ...workers.map((w) => rssMb(w.child.pid!)));
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        return counts.waiting + counts.active + counts.delayed === 0;
      }, 300_000, 50);
      const seconds = (Date.now() - started) / 1000;
      const rate = JOBS / seconds;
      if (count === 1) baseline = rate;
      scaling.push([count, JOBS, submitRate.toFixed(0), seconds.toFixed(1), rate.toFixed(1), ((rate / (baseline * count)) * 100).toFixed(0) + '%', peakWorkerRss, rssMb(relayPid)]);
      await Promise.all(workers.map((w) => stopApp(w)));
    }
    await queue.close();
    console.log(`\n(b) async jobs: submitted through the gateway, then run by N workers (provider 100 ms, WORKER_CONCURRENCY=32) — ${machine()}\n`);
    console.log(table(['workers', 'jobs', 'submitted/s', 'drain s', 'jobs/s', 'scaling efficiency', 'peak worker RSS MB', 'relay RSS MB'], scaling));
    console.log(`\n(c) relay RSS after the sync load: ${relayRss} MB`);
    await fast.close();
    await slow.close();
  });
}

void main();

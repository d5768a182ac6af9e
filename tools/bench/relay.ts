import { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { APP_PORTS, GATEWAY_URL, REDIS_URL, STACK_DIR, testSecrets, api, waitForModel, AppProcess, startApp, stopApp, waitFor, waitReady } from '@ish/test-support';
import { cpuMs, load, LoadResult, machine, rssMb, simProcess, table, withSystem } from './harness';

/**
 * Issue 6 figures: (a) sync relay through the gateway and at the relay port vs the same request sent
 * straight to provider-sim, 64 clients; (b) async jobs per second end to end with 1, 2 and 4 worker
 * processes against a provider answering in 100 ms; (c) RSS of relay and workers under that load.
 */
const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const JOBS = Number(process.env.BENCH_JOBS ?? 600);
/**
 * Jobs each worker runs at once. The scaling question is whether N workers sharing one queue add up
 * while the jobs wait on the provider (I/O-bound), so one worker must not already be short of CPU:
 * with 4 × 100 ms calls in flight a worker needs ~40 jobs/s of CPU, and four of them still fit on
 * two cores. Raise it on a bigger machine; the CPU per job is printed so the ceiling can be read off.
 */
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 4);

async function main(): Promise<void> {
  await withSystem(async () => {
    const admin = testSecrets().adminApiKey;
    // the simulators run as processes of their own, so the load generator never starves them
    const fast = await simProcess('bench-fast', 19101, 0, admin);
    const slow = await simProcess('bench-100ms', 19102, 100, admin);
    const anthropic = await simProcess('bench-anthropic', 19103, 0, admin, 'anthropic');
    await waitForModel('bench-fast');
    await waitForModel('bench-100ms');
    await waitForModel('bench-anthropic');
    const key = (await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: { name: 'bench', scopes: ['chat'], rateLimitPerMinute: 0 } })).body.key;
    const pids = JSON.parse(readFileSync(resolve(STACK_DIR, 'apps.json'), 'utf8')) as { service: string; port: number; pid: number }[];
    const relayPid = pids.find((p) => p.service === 'relay' && p.port === APP_PORTS.relay)!.pid;

    // (a) sync relay vs direct, three ways: at the CPU ceiling (a provider answering at once, 64
    // clients), the relay's own latency (one client), and in front of a provider with real latency
    const headers = (auth?: string) => ({ 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) });
    const bodyFor = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'benchmark message of a few words' }] });
    const post = (url: string, model: string, auth: string | undefined, connections: number) =>
      load({ url, method: 'POST', body: bodyFor(model), connections, duration: DURATION_S, headers: headers(auth) });
    const relayUrl = `http://127.0.0.1:${APP_PORTS.relay}/api/v1/chat/completions`;
    const gatewayUrl = `${GATEWAY_URL}/api/v1/chat/completions`;
    const rowVs = (name: string, r: LoadResult, base: LoadResult) => [
      name,
      r.requestsPerSecond.toFixed(0),
      (r.requestsPerSecond / base.requestsPerSecond).toFixed(2),
      r.fine.p50Ms.toFixed(2),
      r.fine.p99Ms.toFixed(2),
      (r.fine.p50Ms - base.fine.p50Ms).toFixed(2),
      (r.fine.p99Ms - base.fine.p99Ms).toFixed(2),
      r.errors + r.non2xx,
    ];
    const print = (title: string, direct: LoadResult, rows: [string, LoadResult][]) => {
      console.log(`\n${title}\n`);
      console.log(
        table(
          ['path', 'req/s', 'vs direct', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'errors'],
          [rowVs('provider-sim directly', direct, direct), ...rows.map(([name, r]) => rowVs(name, r, direct))],
        ),
      );
    };

    await post(relayUrl, 'bench-fast', key, CONNECTIONS);
    const direct = await post(`${fast.url}/v1/chat/completions`, 'bench-fast', undefined, CONNECTIONS);
    const relayCpuBefore = cpuMs(relayPid);
    const relayPort = await post(relayUrl, 'bench-fast', key, CONNECTIONS);
    const relayCpuPerRequest = (cpuMs(relayPid) - relayCpuBefore) / relayPort.total;
    const relayRss = rssMb(relayPid);
    const gateway = await post(gatewayUrl, 'bench-fast', key, CONNECTIONS);
    // the same OpenAI request to an Anthropic-protocol instance: the adapter maps it to the Messages API and the answer back
    await post(relayUrl, 'bench-anthropic', key, CONNECTIONS);
    const anthropicCpuBefore = cpuMs(relayPid);
    const relayAnthropic = await post(relayUrl, 'bench-anthropic', key, CONNECTIONS);
    const anthropicCpuPerRequest = (cpuMs(relayPid) - anthropicCpuBefore) / relayAnthropic.total;
    console.log(`\n(a) sync chat completion — ${machine()}, ${DURATION_S} s per row`);
    print(`${CONNECTIONS} clients, provider answering at once: the CPU ceiling (load generator, provider-sim and relay share the cores)`, direct, [
      ['relay port (one process)', relayPort],
      ['gateway (nginx, two relays)', gateway],
    ]);

    const directOne = await post(`${fast.url}/v1/chat/completions`, 'bench-fast', undefined, 1);
    const relayOne = await post(relayUrl, 'bench-fast', key, 1);
    print('one client at a time, provider answering at once: what the relay adds when nothing waits for the CPU', directOne, [['relay port (one process)', relayOne]]);

    const directSlow = await post(`${slow.url}/v1/chat/completions`, 'bench-100ms', undefined, CONNECTIONS);
    const relaySlow = await post(relayUrl, 'bench-100ms', key, CONNECTIONS);
    const gatewaySlow = await post(gatewayUrl, 'bench-100ms', key, CONNECTIONS);
    print(`${CONNECTIONS} clients, provider answering in 100 ms (as real ones do, and as in (b))`, directSlow, [
      ['relay port (one process)', relaySlow],
      ['gateway (nginx, two relays)', gatewaySlow],
    ]);

    console.log(`\nrelay CPU per completion (user + system, one process): ${relayCpuPerRequest.toFixed(2)} ms`);
    console.log(
      `relay CPU per completion to an Anthropic-protocol instance (OpenAI → Messages → OpenAI): ${anthropicCpuPerRequest.toFixed(2)} ms ` +
        `(${(anthropicCpuPerRequest - relayCpuPerRequest).toFixed(2)} ms for the translation), ${relayAnthropic.requestsPerSecond.toFixed(0)} req/s at ${CONNECTIONS} clients, ` +
        `${relayAnthropic.errors + relayAnthropic.non2xx} errors`,
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
      // the workers start (and are ready) first; the jobs are submitted through the gateway to the
      // paused queue, so that submitting does not compete with running them for the CPU; the queue is
      // resumed and the drain rate read off the jobs' own start and finish times
      const workers: AppProcess[] = [];
      for (let i = 0; i < count; i++) workers.push(startApp('worker', { port: APP_PORTS.worker + 20 + i, env: { WORKER_CONCURRENCY: String(WORKER_CONCURRENCY) } }));
      await Promise.all(workers.map((w) => waitReady(w)));
      await queue.pause();
      const submitStarted = Date.now();
      const jobIds: string[] = [];
      let reserved = 0;
      const submitters = Array.from({ length: 16 }, async () => {
        while (reserved++ < JOBS) {
          const r = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { message: 'async benchmark', model: 'bench-100ms', mode: 'async' } });
          if (r.status !== 202) throw new Error(`submit failed: ${r.status} ${JSON.stringify(r.body)}`);
          jobIds.push(r.body.jobId);
        }
      });
      await Promise.all(submitters);
      const submitRate = jobIds.length / ((Date.now() - submitStarted) / 1000);
      const cpuAtStart = workers.map((w) => cpuMs(w.child.pid!));
      await queue.resume();
      let peakWorkerRss = 0;
      await waitFor('every job to complete', async () => {
        peakWorkerRss = Math.max(peakWorkerRss, ...workers.map((w) => rssMb(w.child.pid!)));
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        return counts.waiting + counts.active + counts.delayed === 0;
      }, 300_000, 50);
      const cpuPerJob = workers.reduce((sum, w, i) => sum + cpuMs(w.child.pid!) - cpuAtStart[i], 0) / jobIds.length;
      const jobs = (await Promise.all(jobIds.map((id) => queue.getJob(id)))).filter((j) => j?.finishedOn && j.processedOn);
      if (jobs.length !== jobIds.length) throw new Error(`${jobIds.length - jobs.length} job(s) did not finish`);
      const seconds = (Math.max(...jobs.map((j) => j!.finishedOn!)) - Math.min(...jobs.map((j) => j!.processedOn!))) / 1000;
      const rate = jobIds.length / seconds;
      if (count === 1) baseline = rate;
      scaling.push([count, jobIds.length, submitRate.toFixed(0), seconds.toFixed(1), rate.toFixed(1), ((rate / (baseline * count)) * 100).toFixed(0) + '%', cpuPerJob.toFixed(2), peakWorkerRss, rssMb(relayPid)]);
      await Promise.all(workers.map((w) => stopApp(w)));
    }
    await queue.close();
    console.log(`\n(b) async jobs: submitted through the gateway, then run by N workers (provider 100 ms, WORKER_CONCURRENCY=${WORKER_CONCURRENCY}) — ${machine()}\n`);
    console.log(table(['workers', 'jobs', 'submitted/s', 'first start → last finish s', 'jobs/s', 'scaling efficiency', 'worker CPU ms/job', 'peak worker RSS MB', 'relay RSS MB'], scaling));
    console.log(`\n(c) relay RSS after the sync load: ${relayRss} MB`);
    await fast.close();
    await slow.close();
    await anthropic.close();
  });
}

void main();

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { APP_PORTS, GATEWAY_URL, STACK_DIR, testSecrets, api, waitForModel, waitFor, startApp, stopApp, waitReady } from '@ish/test-support';
import { cpuMs, load, LoadResult, machine, rssMb, simProcess, table, withSystem } from './harness';
import { printProfiles } from './profile-summary';

/**
 * Issue 23: the relay against the floor — a bare keep-alive node:http proxy (tools/bench/floor-proxy.ts)
 * in front of the same provider-sim — with everything a real key switches on: auth by API key, a
 * per-key rate limit, model allow-list, budget and tokens per minute, request log, metrics and access
 * log; and that key against one without budget, allow-list or TPM (issue 21). Prints: throughput at 64 clients and its ratio to the floor, added
 * sequential p50, p99 under load against the floor's, relay RSS, the same through the gateway, and
 * streams in SSE chunks per second. With `BENCH_CPU_PROF=<dir>`, a relay of its own then runs the
 * 64-client load under `--cpu-prof` and the profile's summary (self time per package and function) is printed.
 * `BENCH_QUICK=1` measures only the floor and a relay of its own (started with `BENCH_NODE_ARGS`, e.g.
 * `--max-semi-space-size=32`) at 64 clients and one: the loop for trying one change at a time.
 */
const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const FLOOR_PORT = 19110;
const MODEL = 'bench-floor';

async function main(): Promise<void> {
  await withSystem(async () => {
    const admin = testSecrets().adminApiKey;
    // priced, so that every call really charges the budget
    const sim = await simProcess(MODEL, 19104, 0, admin, 'openai', { prices: { [MODEL]: { inputPerMTok: 0.5, outputPerMTok: 1.5 } } });
    await waitForModel(MODEL);
    const created = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: benchKey() });
    if (created.status !== 201) throw new Error(`bench key: ${created.status} ${JSON.stringify(created.body)}`);
    const key = created.body.key;
    const plain = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: { name: 'bench-plain', scopes: ['chat'], rateLimitPerMinute: 1_000_000 } });
    const floor = spawn(process.execPath, [resolve(__dirname, 'floor-proxy.js'), String(FLOOR_PORT), `${sim.url}/v1`, key], { stdio: 'ignore' });
    const floorUrl = `http://127.0.0.1:${FLOOR_PORT}/api/v1/chat/completions`;
    await waitFor('the floor proxy to listen', async () => (await fetch(floorUrl, { method: 'POST' })).status === 401, 10_000, 100);
    const relayUrl = `http://127.0.0.1:${APP_PORTS.relay}/api/v1/chat/completions`;
    const gatewayUrl = `${GATEWAY_URL}/api/v1/chat/completions`;
    const pids = JSON.parse(readFileSync(resolve(STACK_DIR, 'apps.json'), 'utf8')) as { service: string; port: number; pid: number }[];
    const relayPid = pids.find((p) => p.service === 'relay' && p.port === APP_PORTS.relay)!.pid;
    try {
      const body = (stream: boolean) => JSON.stringify({ model: MODEL, stream, messages: [{ role: 'user', content: 'benchmark message of a few words' }] });
      const post = (url: string, connections: number, stream = false) =>
        load({ url, method: 'POST', body: body(stream), connections, duration: DURATION_S, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });

      if (process.env.BENCH_QUICK) return await quick(floorUrl, floor.pid!, (url, connections) => post(url, connections));
      // warm both (JIT, keep-alive pools, caches) before anything is measured
      await post(relayUrl, CONNECTIONS);
      await post(floorUrl, CONNECTIONS);
      const floorLoad = await post(floorUrl, CONNECTIONS);
      const cpuBefore = cpuMs(relayPid);
      const relayLoad = await post(relayUrl, CONNECTIONS);
      const relayCpu = (cpuMs(relayPid) - cpuBefore) / relayLoad.total;
      const relayRss = rssMb(relayPid);
      const gatewayLoad = await post(gatewayUrl, CONNECTIONS);
      // issue 21: the same load with a key holding no budget, allow-list or TPM, alternated to even out drift
      const withKey = (credential: string) =>
        load({ url: relayUrl, method: 'POST', body: body(false), connections: CONNECTIONS, duration: DURATION_S, headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` } });
      const rounds: [LoadResult, LoadResult][] = [];
      // ABBA order (plain first, then governed first, …) so that warm-up and drift weigh on both alike
      for (let i = 0; i < 4; i++) {
        if (i % 2 === 0) {
          const p = await withKey(plain.body.key);
          rounds.push([p, await post(relayUrl, CONNECTIONS)]);
        } else {
          const g = await post(relayUrl, CONNECTIONS);
          rounds.push([await withKey(plain.body.key), g]);
        }
      }
      const floorOne = await post(floorUrl, 1);
      const relayOne = await post(relayUrl, 1);
      const chunks = { floor: await chunksPerStream(floorUrl, key, body(true)), relay: await chunksPerStream(relayUrl, key, body(true)) };
      const floorStream = await post(floorUrl, CONNECTIONS, true);
      const relayStream = await post(relayUrl, CONNECTIONS, true);
      const gatewayStream = await post(gatewayUrl, CONNECTIONS, true);

      const row = (name: string, r: LoadResult, base: LoadResult) => [
        name,
        r.requestsPerSecond.toFixed(0),
        `${((r.requestsPerSecond / base.requestsPerSecond) * 100).toFixed(0)}%`,
        r.fine.p50Ms.toFixed(2),
        r.fine.p99Ms.toFixed(2),
        (r.fine.p99Ms / base.fine.p99Ms).toFixed(2),
        r.errors + r.non2xx,
      ];
      const headers = ['path', 'req/s', 'of floor', 'p50 ms', 'p99 ms', 'p99 / floor p99', 'errors'];
      console.log(`\nIssue 23: relay vs the floor — ${machine()}, ${DURATION_S} s per row, provider-sim answering at once`);
      console.log(`\n${CONNECTIONS} clients, chat completion\n`);
      console.log(table(headers, [row('floor (bare node:http proxy)', floorLoad, floorLoad), row('relay port (one process)', relayLoad, floorLoad), row('gateway (nginx, two relays)', gatewayLoad, floorLoad)]));
      console.log('\none client at a time\n');
      console.log(
        table(
          ['path', 'req/s', 'p50 ms', 'added p50 ms', 'p99 ms'],
          [
            ['floor', floorOne.requestsPerSecond.toFixed(0), floorOne.fine.p50Ms.toFixed(2), '0.00', floorOne.fine.p99Ms.toFixed(2)],
            ['relay port', relayOne.requestsPerSecond.toFixed(0), relayOne.fine.p50Ms.toFixed(2), (relayOne.fine.p50Ms - floorOne.fine.p50Ms).toFixed(2), relayOne.fine.p99Ms.toFixed(2)],
          ],
        ),
      );
      const chunkRow = (name: string, r: LoadResult, perStream: number) => [name, r.requestsPerSecond.toFixed(0), perStream, (r.requestsPerSecond * perStream).toFixed(0), `${((r.requestsPerSecond / floorStream.requestsPerSecond) * 100).toFixed(0)}%`, r.fine.p99Ms.toFixed(2), r.errors + r.non2xx];
      console.log(`\n${CONNECTIONS} clients, stream: true\n`);
      console.log(
        table(
          ['path', 'streams/s', 'SSE chunks per stream', 'chunks/s', 'of floor', 'p99 ms', 'errors'],
          [chunkRow('floor', floorStream, chunks.floor), chunkRow('relay port', relayStream, chunks.relay), chunkRow('gateway', gatewayStream, chunks.relay)],
        ),
      );
      console.log(`\n${CONNECTIONS} clients, relay port: a key with budget, allow-list and TPM against one without (four rounds, ABBA order)\n`);
      console.log(
        table(
          ['round', 'plain key req/s', 'governed key req/s', 'governed / plain', 'plain p99 ms', 'governed p99 ms'],
          rounds.map(([p, g], i) => [i + 1, p.requestsPerSecond.toFixed(0), g.requestsPerSecond.toFixed(0), (g.requestsPerSecond / p.requestsPerSecond).toFixed(2), p.fine.p99Ms.toFixed(2), g.fine.p99Ms.toFixed(2)]),
        ),
      );
      const mean = (pick: (r: [LoadResult, LoadResult]) => number) => rounds.reduce((sum, r) => sum + pick(r), 0) / rounds.length;
      console.log(`\nmean: plain ${mean(([p]) => p.requestsPerSecond).toFixed(0)} req/s, governed ${mean(([, g]) => g.requestsPerSecond).toFixed(0)} req/s, governed / plain ${(mean(([, g]) => g.requestsPerSecond) / mean(([p]) => p.requestsPerSecond)).toFixed(2)}`);
      console.log(`\nrelay CPU per completion: ${relayCpu.toFixed(3)} ms; relay RSS after the ${CONNECTIONS}-client load: ${relayRss} MB (target < 150)`);
      if (process.env.BENCH_CPU_PROF) await profileRelay(resolve(process.env.BENCH_CPU_PROF), (url) => post(url, CONNECTIONS));
    } finally {
      floor.kill('SIGTERM');
      await sim.close();
    }
  });
}

/** The key a production client would hold: every per-key check the API offers is switched on, set high enough never to refuse. */
function benchKey(): Record<string, unknown> {
  return { name: 'bench-overhead', scopes: ['chat'], rateLimitPerMinute: 1_000_000, allowedModels: [MODEL], budget: { limitUsd: 1_000_000, period: 'month' }, tokensPerMinute: 1_000_000_000 };
}

/**
 * The floor and relays of their own at 64 clients and one: this checkout's (with BENCH_NODE_ARGS), or one per built
 * checkout named in BENCH_BUILDS (comma-separated paths, each with its own `dist/`) on the same stack. BENCH_ROUNDS
 * rounds (default 1, or 3 with BENCH_BUILDS) in rotating order, so that the machine's drift weighs on every build
 * alike; the table shows each build's medians, and its CPU per request also as a multiple of the floor's in the same round.
 */
async function quick(floorUrl: string, floorPid: number, post: (url: string, connections: number) => Promise<LoadResult>): Promise<void> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const builds = (process.env.BENCH_BUILDS ?? '').split(',').filter(Boolean).map((path) => resolve(path));
  const rounds = Number(process.env.BENCH_ROUNDS ?? (builds.length > 0 ? 3 : 1));
  const relays = (builds.length > 0 ? builds : [undefined]).map((root, i) => ({
    name: root ? basename(root) : 'relay',
    app: startApp('relay', { port: APP_PORTS.relay + 31 + i, nodeArgs, root }),
    idleRss: 0,
    samples: [] as { load: LoadResult; cpu: number; floor: LoadResult; floorCpu: number }[],
  }));
  try {
    for (const relay of relays) {
      await waitReady(relay.app);
      relay.idleRss = rssMb(relay.app.child.pid!);
    }
    const urlOf = (relay: (typeof relays)[number]) => `${relay.app.url}/api/v1/chat/completions`;
    for (const relay of relays) await post(urlOf(relay), CONNECTIONS);
    await post(floorUrl, CONNECTIONS);
    const measured = async (url: string, pid: number) => {
      const before = cpuMs(pid);
      const load = await post(url, CONNECTIONS);
      return { load, cpu: (cpuMs(pid) - before) / load.total };
    };
    for (let round = 0; round < rounds; round++) {
      const floor = await measured(floorUrl, floorPid);
      const order = relays.map((_, i) => relays[(i + round) % relays.length]);
      for (const relay of order) {
        const { load, cpu } = await measured(urlOf(relay), relay.app.child.pid!);
        relay.samples.push({ load, cpu, floor: floor.load, floorCpu: floor.cpu });
      }
    }
    const floorOne = await post(floorUrl, 1);
    const ones: LoadResult[] = [];
    for (const relay of relays) ones.push(await post(urlOf(relay), 1));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
    const floorSamples = relays[0].samples;
    console.log(`\nquick: ${machine()}, ${DURATION_S} s per row, ${rounds} round(s), medians; relay node args: ${nodeArgs.join(' ') || 'none'}\n`);
    console.log(
      table(
        ['path', 'req/s at 64', 'of floor', 'p99 ms', 'p99 / floor', 'CPU ms/request', 'CPU / floor', 'p50 ms at 1', 'added p50 ms', 'RSS MB ready / loaded', 'errors'],
        [
          [
            'floor',
            median(floorSamples.map((s) => s.floor.requestsPerSecond)).toFixed(0),
            '100%',
            median(floorSamples.map((s) => s.floor.fine.p99Ms)).toFixed(2),
            '1.00',
            median(floorSamples.map((s) => s.floorCpu)).toFixed(3),
            '1.00',
            floorOne.fine.p50Ms.toFixed(2),
            '0.00',
            `${rssMb(floorPid)}`,
            floorSamples.reduce((sum, s) => sum + s.floor.errors + s.floor.non2xx, 0),
          ],
          ...relays.map((relay, i) => [
            relay.name,
            median(relay.samples.map((s) => s.load.requestsPerSecond)).toFixed(0),
            `${(median(relay.samples.map((s) => s.load.requestsPerSecond / s.floor.requestsPerSecond)) * 100).toFixed(0)}%`,
            median(relay.samples.map((s) => s.load.fine.p99Ms)).toFixed(2),
            median(relay.samples.map((s) => s.load.fine.p99Ms / s.floor.fine.p99Ms)).toFixed(2),
            median(relay.samples.map((s) => s.cpu)).toFixed(3),
            median(relay.samples.map((s) => s.cpu / s.floorCpu)).toFixed(2),
            ones[i].fine.p50Ms.toFixed(2),
            (ones[i].fine.p50Ms - floorOne.fine.p50Ms).toFixed(2),
            `${relay.idleRss} / ${rssMb(relay.app.child.pid!)}`,
            relay.samples.reduce((sum, s) => sum + s.load.errors + s.load.non2xx, 0) + ones[i].errors + ones[i].non2xx,
          ]),
        ],
      ),
    );
  } finally {
    for (const relay of relays) await stopApp(relay.app);
  }
}

/** A relay of its own under `--cpu-prof` (written when it exits on SIGTERM), loaded, stopped, its profile summarized. */
async function profileRelay(dir: string, loadAt: (url: string) => Promise<LoadResult>): Promise<void> {
  const relay = startApp('relay', { port: APP_PORTS.relay + 30, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  await waitReady(relay);
  const url = `${relay.url}/api/v1/chat/completions`;
  await loadAt(url);
  await loadAt(url);
  await stopApp(relay);
  printProfiles(dir);
}

/** SSE `data:` events in one streamed answer (the same for every request of the benchmark). */
async function chunksPerStream(url: string, key: string, body: string): Promise<number> {
  const answer = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`stream: ${answer.status} ${text}`);
  return text.split('\n').filter((line) => line.startsWith('data: ')).length;
}

void main();

// Execute latency: the same `echo hello` on one simulated device through
//   adbkit     — adbkit's shell() straight to the adb server (no checks, no lock, no exit code)
//   executor   — libs/adb AdbExecutor, as the bridge and the workers run it: allow-list, quoting,
//                device-state check, per-device lock (Redis with REDIS_URL, else in memory),
//                exit-status trailer, output cap, timeout (audit sink: none)
//   http       — POST /api/v1/android/execute on a running bridge (BRIDGE_URL + ISH_API_KEY):
//                everything above plus auth, rate limit, validation and the Postgres audit row
// each sequentially and with BENCH_CONCURRENCY requests in flight.
//
//   npm run build && node dist/tools/bench/adb/execute-latency.js
//   BENCH_RUNS=500 BENCH_CONCURRENCY=20 REDIS_URL=redis://127.0.0.1:56379 node dist/tools/bench/adb/execute-latency.js
//   ADB_PORT=5037 BRIDGE_URL=http://127.0.0.1:8080 ISH_API_KEY=ish_… node dist/tools/bench/adb/execute-latency.js
//
// Without ADB_PORT it starts a private adb server (own port, own HOME) and stops it at the end.
// With BRIDGE_URL, ADB_PORT must be the bridge's adb server (the device is connected through it).
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Adb from '@devicefarmer/adbkit';
import Redis from 'ioredis';
import { AdbExecutor, AdbServer, CommandPolicy, DEFAULT_ALLOWED_COMMANDS, DeviceLock, memoryLockStore, parseCommandList, redisLockStore } from '@ish/adb';
import { freePort, startAdbDeviceSim } from '@ish/adb-device-sim';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

type Call = () => Promise<void>;

interface Figures {
  p50: number;
  p99: number;
  mean: number;
  perSecond: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(call: Call, runs: number, concurrency: number): Promise<Figures> {
  for (let i = 0; i < Math.min(20, runs); i++) await call(); // warm-up: connections, JIT
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs) {
        next++;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), mean: latencies.reduce((s, x) => s + x, 0) / latencies.length, perSecond: (runs / elapsed) * 1000 };
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(!!socket.end()));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answers on 127.0.0.1:${port}`);
}

async function main(): Promise<void> {
  let adbServer: ChildProcess | undefined;
  let home: string | undefined;
  let adbPort = Number(process.env.ADB_PORT ?? 0);
  if (!adbPort) {
    adbPort = await freePort();
    home = mkdtempSync(join(tmpdir(), 'adb-bench-'));
    adbServer = spawn('adb', ['-L', `tcp:${adbPort}`, 'server', 'nodaemon'], { env: { ...process.env, HOME: home, ADB_VENDOR_KEYS: '' }, stdio: 'ignore' });
    await waitForPort(adbPort);
  }
  const sim = await startAdbDeviceSim({ model: 'ISH Bench' });
  const adbkit = Adb.createClient({ host: '127.0.0.1', port: adbPort });
  adbkit.on('error', () => undefined);
  const client: AdbServer = adbkit;
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : undefined;
  const bridge = process.env.BRIDGE_URL;
  const apiKey = process.env.ISH_API_KEY;
  try {
    if (bridge && apiKey) {
      const answer = await fetch(`${bridge}/api/v1/android/devices/connect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ host: '127.0.0.1', port: sim.port }),
      });
      if (answer.status !== 200) throw new Error(`connect through the bridge: ${answer.status} ${await answer.text()}`);
    } else {
      await client.connect('127.0.0.1', sim.port);
    }
    for (let i = 0; i < 50 && !(await client.listDevices()).some((d) => d.id === sim.serial && d.type === 'device'); i++) await new Promise((r) => setTimeout(r, 100));

    const executor = new AdbExecutor(
      client,
      new DeviceLock(redis ? redisLockStore(redis) : memoryLockStore(), `adb:bench-lock:`),
      new CommandPolicy({ allowedCommands: parseCommandList(DEFAULT_ALLOWED_COMMANDS), maxArgs: 64 }),
      { record: async () => undefined },
      { maxOutputBytes: 1 << 20, maxScreenshotBytes: 32 << 20, defaultTimeoutMs: 30_000, lockWaitMs: 60_000 },
    );
    const calls: [string, Call][] = [
      [
        'adbkit',
        async () => {
          const stream = await client.getDevice(sim.serial).shell('echo hello');
          for await (const chunk of stream) void chunk;
        },
      ],
      [
        `executor (lock: ${redis ? 'Redis' : 'memory'})`,
        async () => {
          await executor.execute({ serial: sim.serial, command: 'echo', args: ['hello'] }, { userId: null, credentialId: null, mode: 'sync' });
        },
      ],
    ];
    if (bridge && apiKey) {
      calls.push([
        'http (bridge)',
        async () => {
          const answer = await fetch(`${bridge}/api/v1/android/execute`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ serial: sim.serial, command: 'echo', args: ['hello'] }),
          });
          if (answer.status !== 200) throw new Error(`execute: ${answer.status} ${await answer.text()}`);
          await answer.arrayBuffer();
        },
      ]);
    }

    const ms = (x: number) => x.toFixed(2).padStart(8);
    console.log(`echo hello on one simulated device (adb server :${adbPort}); ${RUNS} runs per row, concurrent rows ${CONCURRENCY} in flight`);
    console.log(`${'path'.padEnd(24)} ${'mode'.padEnd(14)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'per s'.padStart(8)}`);
    for (const [name, call] of calls) {
      for (const [mode, concurrency] of [
        ['sequential', 1],
        [`concurrent ${CONCURRENCY}`, CONCURRENCY],
      ] as const) {
        sim.resetStats();
        const figures = await measure(call, RUNS, concurrency);
        const overlap = sim.stats().maxConcurrentShells;
        console.log(`${name.padEnd(24)} ${mode.padEnd(14)} ${ms(figures.p50)} ${ms(figures.p99)} ${ms(figures.mean)} ${figures.perSecond.toFixed(0).padStart(8)}   (max shells at once on the device: ${overlap})`);
      }
    }
  } finally {
    await Promise.resolve(client.disconnect(sim.serial)).catch(() => undefined);
    await sim.close();
    await redis?.quit();
    adbServer?.kill('SIGTERM');
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

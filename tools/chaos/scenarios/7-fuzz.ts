import { Agent } from 'node:http';
import { withSystem } from '@ish/bench';
import { ChaosForm, formatResult, Scenario, ScenarioResult } from '../scenario';
import { formatCounts, fuzzOperation, FuzzFailure, FuzzStats, OperationResult, UpstreamAllowance } from '../fuzz/driver';
import { appLiveness, FUZZ_BASE_URL, FuzzEnvironment } from '../fuzz/environment';
import { listOperations, OpenApiDocument, resolveSchema } from '../fuzz/openapi';
import { changesRouting, FuzzOptions, fuzzOptions, operationSeed } from '../fuzz/options';
import { fixedRequests, requestArbitrary } from '../fuzz/requests';

/**
 * Issue 11, scenario 7 — bad input. Every operation of the OpenAPI document the gateway serves gets
 * fast-check requests: valid ones with random and boundary values, wrong types, missing and unknown
 * fields, odd path parameters and query strings, broken JSON, wrong content types, hostile unicode and
 * bodies past every body limit, sent as the admin, as a plain user and with no or a bogus credential.
 * Every answer must come within the timeout, must not be a 5xx, and a 4xx must be the API.md error
 * shape; afterwards every app process must still be alive and healthy.
 */

/**
 * 5xx answers that are the documented outcome of the request itself, not a fault: the adb target the
 * client names refuses the connection (API.md lists 502 for upstream failures; tests/android checks it).
 */
export const UPSTREAM_ALLOWANCES: UpstreamAllowance[] = [
  { operation: 'POST /api/v1/android/devices/connect', status: 502, code: 'connect_failed', why: 'the host:port the request names does not answer adb' },
];

async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

export async function fetchOpenApi(baseUrl = FUZZ_BASE_URL): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/api/v1/openapi.json`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

/** shrunk requests printed per distinct problem (the other operations it hit are named) */
const SHOWN_PER_PROBLEM = 3;

function replayHint(options: FuzzOptions, failure: FuzzFailure): string {
  return `replay: FUZZ_SEED=${options.seed} FUZZ_OP='${failure.operation}' FUZZ_ROUND=${failure.round} FUZZ_PATH='${failure.path ?? ''}' node dist/tools/chaos/scenarios/7-fuzz.js`;
}

export async function runFuzz(form: ChaosForm, log: (line: string) => void, options: FuzzOptions = fuzzOptions(form)): Promise<ScenarioResult> {
  const started = Date.now();
  log(`fuzz (${form}): seed=${options.seed} runs/operation=${options.runsPerOperation} timeout=${options.timeoutMs} ms`);
  const document = await fetchOpenApi();
  const all = listOperations(document);
  // an operation's exact key (what a replay hint names), else every operation whose key contains it
  const operations = options.only ? (all.some((o) => o.key === options.only) ? all.filter((o) => o.key === options.only) : all.filter((o) => o.key.includes(options.only!))) : all;
  if (operations.length === 0) throw new Error(`no operation matches ${JSON.stringify(options.only)}`);
  const described = all.filter((o) => o.body && Object.keys(resolveSchema(document, o.body.schema).properties ?? {}).length > 0).length;
  const queries = all.reduce((n, o) => n + o.parameters.filter((p) => p.in === 'query').length, 0);
  log(`  ${all.length} operations in the OpenAPI document (${all.filter((o) => o.body).length} with a JSON body, ${described} of them with its fields described; ${queries} query parameters)${options.only ? `, fuzzing ${operations.length}` : ''}`);

  const environment = new FuzzEnvironment(log);
  const stats = new FuzzStats();
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency * 2 });
  const notes: string[] = [];
  const results: OperationResult[] = [];
  const livenessBefore = await appLiveness();
  try {
    await environment.prepare();
    const context = { document, dictionary: environment.dictionary };
    const phases = [operations.filter((o) => !changesRouting(o)), operations.filter(changesRouting)];
    for (const phase of phases) {
      results.push(
        ...(await pool(phase, options.concurrency, async (operation) => {
          await environment.renewSessions();
          const result = await fuzzOperation(operation, requestArbitrary(operation, context), {
            baseUrl: FUZZ_BASE_URL,
            credentials: environment.credentials,
            seed: operationSeed(options.seed, operation.key),
            numRuns: options.runsPerOperation,
            timeoutMs: options.timeoutMs,
            timeLimitMs: options.timeLimitMs,
            shrinkBudgetMs: options.shrinkBudgetMs,
            examples: fixedRequests(operation, context),
            allowances: UPSTREAM_ALLOWANCES,
            stats,
            replay: options.replay,
            redact: environment.redact,
            agent,
            onAnswer: environment.onAnswer,
          });
          const counts = formatCounts(stats.byOperation.get(operation.key) ?? new Map());
          const codes = formatCounts(stats.codesByOperation.get(operation.key) ?? new Map(), 4);
          const problems = result.failures.map((f) => f.problem).join('; ');
          log(`  ${problems ? 'FAIL' : 'ok  '} ${operation.key}: ${result.runs} requests (${counts}; ${codes})${result.interrupted ? ' (time limit)' : ''}${problems ? ` — ${problems}` : ''}`);
          return result;
        })),
      );
    }
  } finally {
    notes.push(...(await environment.restore().catch((error: unknown) => [`cleanup failed: ${environment.redact((error as Error).message)}`])));
    await environment.close().catch(() => undefined);
    agent.destroy();
  }

  // the processes: alive, healthy, and the system as a whole
  const livenessAfter = await appLiveness();
  if (livenessAfter.length === 0) notes.push('no app process to check: STACK_DIR/apps.json is missing or empty');
  const down = livenessAfter.filter((app) => livenessBefore.some((b) => b.pid === app.pid && b.alive) && (!app.alive || app.health !== 200));
  for (const app of down) notes.push(`${app.service} (pid ${app.pid}, port ${app.port}) ${app.alive ? `answers /health with ${app.health ?? 'nothing'}` : 'is gone'}`);
  const health = await fetch(`${FUZZ_BASE_URL}/api/v1/health`, { signal: AbortSignal.timeout(10_000) })
    .then(async (r) => ((await r.json()) as { status: string }).status)
    .catch(() => 'unreachable');
  if (health !== 'ok') notes.push(`GET /api/v1/health says ${health} after the fuzz`);

  const failures = results.flatMap((r) => r.failures);
  const repeats = results.reduce((n, r) => n + r.repeats, 0);
  // one note per distinct problem: the operations it hit, and the shrunk requests of the first few
  const byProblem = new Map<string, FuzzFailure[]>();
  for (const failure of failures) byProblem.set(failure.problem, [...(byProblem.get(failure.problem) ?? []), failure]);
  for (const [problem, group] of byProblem) {
    const examples = group.slice(0, SHOWN_PER_PROBLEM).map(
      (f) => `\n      ${f.operation}\n        request: ${f.request}\n        answer: ${f.answer.replace(/\s+/g, ' ').trim() || '(none)'}\n        ${replayHint(options, f)}`,
    );
    const others = group.slice(SHOWN_PER_PROBLEM).map((f) => f.operation);
    notes.push(`${problem} — ${group.length} operation(s):${examples.join('')}${others.length ? `\n      also: ${others.join(', ')}` : ''}`);
  }
  const uncovered = operations.filter((o) => !stats.operations.has(o.key));
  if (uncovered.length) notes.push(`not covered: ${uncovered.map((o) => o.key).join(', ')}`);
  const statuses = formatCounts(stats.statuses);
  return {
    pass: failures.length === 0 && down.length === 0 && livenessAfter.length > 0 && health === 'ok' && uncovered.length === 0 && notes.every((n) => !n.startsWith('cleanup')),
    figures: {
      seed: options.seed,
      requests: stats.requests,
      operations: `${stats.operations.size}/${all.length}`,
      statuses,
      slowestMs: stats.slowest.ms,
      slowest: stats.slowest.operation.replace(/\s+/g, '_'),
      failures: failures.length,
      failingRequests: failures.length + repeats,
      appsAlive: `${livenessAfter.filter((a) => a.alive && a.health === 200).length}/${livenessAfter.length}`,
      seconds: Math.round((Date.now() - started) / 1000),
    },
    notes,
  };
}

export const fuzzScenario: Scenario = {
  id: 7,
  name: 'bad input: fuzz every endpoint of the OpenAPI document',
  run: (form, log) => runFuzz(form, log),
};

/**
 * By hand (after `npm run build`, never while `npm test` runs):
 * `node dist/tools/chaos/scenarios/7-fuzz.js [--long] [--seed N] [--runs N] [--op 'POST /api/v1/relay'] [--round R --path P]`
 * (or FUZZ_SEED, FUZZ_RUNS, FUZZ_OP, FUZZ_ROUND, FUZZ_PATH). A failure's note prints the line that replays it.
 */
if (require.main === module) {
  const argv = process.argv.slice(2);
  const form: ChaosForm = argv.includes('--long') ? 'long' : 'short';
  // the harness brings the test system up and down (never while `npm test` runs)
  void withSystem(() => runFuzz(form, (line) => console.log(line), fuzzOptions(form, process.env, argv)))
    .then((result) => {
      console.log(formatResult(fuzzScenario, result));
      process.exit(result.pass ? 0 : 1);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(2);
    });
}

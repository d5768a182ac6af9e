import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { Operation } from './openapi';
import { FuzzRequest } from './requests';
import { CredentialSource, toWire, WireRequest } from './wire';

/** What came back for one request. */
export interface Outcome {
  /** null: no answer at all (timeout, connection error) */
  status: number | null;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
  /** the body (at most 8 MB kept) */
  body: string;
  /** true when the body was longer than what was kept */
  truncated?: boolean;
  timedOut: boolean;
  error?: string;
}

const KEPT_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Sends one request over a raw HTTP connection (the path goes out exactly as built, `..` and broken
 * %-encoding included) and waits at most `timeoutMs` for the whole answer. An event stream counts as
 * answered once its headers and first bytes arrived.
 */
export function send(baseUrl: string, wire: WireRequest, timeoutMs: number, agent?: Agent): Promise<Outcome> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let status: number | null = null;
    let headers: Outcome['headers'] = {};
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    const finish = (extra: Partial<Outcome> = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, headers, body: Buffer.concat(chunks).toString('utf8'), truncated, ms: Math.round(performance.now() - started), timedOut: false, ...extra });
    };
    const request = httpRequest(
      {
        host: url.hostname,
        port: Number(url.port || 80),
        method: wire.method,
        path: wire.path,
        agent,
        headers: { ...wire.headers, ...(wire.body ? { 'content-length': String(wire.body.length) } : {}) },
      },
      (response) => {
        status = response.statusCode ?? null;
        headers = response.headers;
        const stream = /text\/event-stream/i.test(String(response.headers['content-type'] ?? ''));
        response.on('data', (chunk: Buffer) => {
          if (kept < KEPT_BODY_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          } else {
            truncated = true;
          }
          if (stream) {
            finish();
            response.destroy();
          }
        });
        response.on('end', () => finish());
        response.on('error', (error) => finish({ error: `response: ${error.message}` }));
        response.on('close', () => finish());
      },
    );
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve({ status, headers, body: Buffer.concat(chunks).toString('utf8'), ms: Math.round(performance.now() - started), timedOut: true });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      // the server may answer (413) and close while the body is still going out: the answer counts
      if (status !== null) return finish();
      finish({ error: `${error.code ?? ''} ${error.message}`.trim() });
    });
    if (wire.body) request.end(wire.body);
    else request.end();
  });
}

export const ERROR_TYPES = ['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'conflict_error', 'rate_limit_error', 'upstream_error', 'api_error'];

/**
 * A 5xx that is the documented answer of an operation and not a fault of the service: the target the
 * request itself names does not answer (e.g. `connect` to a port nobody listens on → 502 connect_failed).
 */
export interface UpstreamAllowance {
  operation: string;
  status: number;
  code: string;
  why: string;
}

/** Why an outcome breaks the contract, or null: no 5xx, an answer in time, 4xx in the API.md error shape, an x-request-id. */
export function judge(operation: Operation, outcome: Outcome, timeoutMs: number, allowances: UpstreamAllowance[] = []): string | null {
  if (outcome.timedOut) return `no answer within ${timeoutMs} ms`;
  if (outcome.status === null) return `no answer: ${outcome.error ?? 'connection closed'}`;
  const status = outcome.status;
  if (!outcome.headers['x-request-id']) return `${status} without an x-request-id header`;
  if (status >= 400 && !outcome.truncated) {
    const shape = errorShapeProblem(outcome);
    if (shape) return `${status} ${shape}`;
  }
  if (status >= 500) {
    const code = errorCode(outcome.body);
    const allowed = allowances.find((a) => a.operation === operation.key && a.status === status && a.code === code);
    if (!allowed) return `answered ${status}${code ? ` ${code}` : ''}`;
  }
  if (status >= 200 && status < 300 && /json/i.test(String(outcome.headers['content-type'] ?? '')) && !outcome.truncated) {
    try {
      JSON.parse(outcome.body);
    } catch {
      return `${status} with a body that is not the JSON its content type says`;
    }
  }
  return null;
}

function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** what is wrong with an error answer's shape: `{"error":{"type","code","message","details"?}}` as JSON */
export function errorShapeProblem(outcome: Pick<Outcome, 'headers' | 'body'>): string | null {
  if (!/^application\/json/i.test(String(outcome.headers['content-type'] ?? ''))) return `not JSON (content-type ${outcome.headers['content-type'] ?? 'none'})`;
  let body: unknown;
  try {
    body = JSON.parse(outcome.body);
  } catch {
    return 'with a body that is not JSON';
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== 'object') return 'without an `error` object';
  if (typeof error.type !== 'string' || !ERROR_TYPES.includes(error.type)) return `with error.type ${JSON.stringify(error.type)}`;
  if (typeof error.code !== 'string' || error.code === '') return 'without error.code';
  if (typeof error.message !== 'string') return 'without error.message';
  if (error.details !== undefined && !Array.isArray(error.details)) return 'with error.details not a list';
  return null;
}

/** `200:12,400:30`; `top` keeps the most frequent ones */
export function formatCounts(counts: Map<string, number>, top?: number): string {
  const entries = top ? [...counts].sort(([, a], [, b]) => b - a).slice(0, top) : [...counts].sort(([a], [b]) => a.localeCompare(b));
  return entries
    .map(([status, count]) => `${status}:${count}`)
    .join(',');
}

/** Counts over the whole run. */
export class FuzzStats {
  requests = 0;
  readonly statuses = new Map<string, number>();
  slowest = { ms: 0, operation: '' };
  readonly operations = new Set<string>();

  readonly byOperation = new Map<string, Map<string, number>>();
  /** error codes of the 4xx/5xx answers, per operation: what the requests ran into */
  readonly codesByOperation = new Map<string, Map<string, number>>();

  record(operation: Operation, outcome: Outcome): void {
    this.requests++;
    this.operations.add(operation.key);
    const key = outcome.timedOut ? 'timeout' : outcome.status === null ? 'error' : String(outcome.status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    const own = this.byOperation.get(operation.key) ?? new Map<string, number>();
    own.set(key, (own.get(key) ?? 0) + 1);
    this.byOperation.set(operation.key, own);
    if (outcome.status !== null && outcome.status >= 400 && outcome.body.length < 1_000_000) {
      const code = errorCode(outcome.body) ?? 'no code';
      const codes = this.codesByOperation.get(operation.key) ?? new Map<string, number>();
      codes.set(code, (codes.get(code) ?? 0) + 1);
      this.codesByOperation.set(operation.key, codes);
    }
    if (outcome.ms > this.slowest.ms) this.slowest = { ms: outcome.ms, operation: operation.key };
  }
}

export interface FuzzFailure {
  operation: string;
  problem: string;
  /** the request fast-check shrank the failure to, printed with secrets left out */
  request: string;
  /** the start of the answer */
  answer: string;
  seed: number;
  /** the round of the operation's fuzz it was found in (its seed: roundSeed(operation seed, round)) */
  round: number;
  path: string | null;
}

export interface OperationRunOptions {
  baseUrl: string;
  credentials: CredentialSource;
  seed: number;
  numRuns: number;
  timeoutMs: number;
  /** stop starting new runs after this long (the shrinking of a failure has its own budget) */
  timeLimitMs: number;
  shrinkBudgetMs: number;
  examples: FuzzRequest[];
  allowances: UpstreamAllowance[];
  stats: FuzzStats;
  /** replays one failure: the round it was found in and fast-check's path to it */
  replay?: { round: number; path: string };
  /** removes secrets from text that leaves the process */
  redact: (text: string) => string;
  agent?: Agent;
  /** called with every answer (the scenario tracks resources the fuzz created) */
  onAnswer?: (operation: Operation, request: FuzzRequest, outcome: Outcome) => Promise<void> | void;
}

export interface OperationResult {
  operation: string;
  /** requests sent, shrinking included */
  runs: number;
  /** one per distinct problem, each shrunk */
  failures: FuzzFailure[];
  /** requests that ran into a problem already reported */
  repeats: number;
  interrupted: boolean;
}

/** distinct problems one operation reports before the fuzz moves on (a broken operation should not take all the time) */
export const MAX_PROBLEMS_PER_OPERATION = 4;

/** the seed of a round of one operation: round 0 is the operation's seed */
export function roundSeed(seed: number, round: number): number {
  return (seed + Math.imul(round, 0x9e3779b1)) | 0;
}

/**
 * Fuzzes one operation with fast-check. A failure is shrunk to a small request and reported; the
 * fuzz then goes on with the runs left (a new round, another seed), counting requests that hit an
 * already reported problem without stopping for them, so one bug cannot hide another.
 */
export async function fuzzOperation(operation: Operation, arbitrary: fc.Arbitrary<FuzzRequest>, options: OperationRunOptions): Promise<OperationResult> {
  const result: OperationResult = { operation: operation.key, runs: 0, failures: [], repeats: 0, interrupted: false };
  const known = new Set<string>();
  const started = Date.now();
  let left = options.numRuns + options.examples.length;
  for (let round = options.replay?.round ?? 0; left > 0 && result.failures.length < MAX_PROBLEMS_PER_OPERATION; round++) {
    const problems = new WeakMap<FuzzRequest, { problem: string; outcome: Outcome }>();
    let last: { request: FuzzRequest; problem: string; outcome: Outcome } | undefined;
    // the problem this round found and shrinks; while shrinking, only a request with that problem fails
    let target: string | undefined;
    let shrinkDeadline = Infinity;
    let passed = 0;
    const property = fc.asyncProperty(arbitrary, async (request) => {
      // out of shrinking budget: report the smallest failure found so far
      if (Date.now() > shrinkDeadline) return true;
      result.runs++;
      const outcome = await send(options.baseUrl, toWire(operation, request, options.credentials), options.timeoutMs, options.agent);
      options.stats.record(operation, outcome);
      await options.onAnswer?.(operation, request, outcome);
      const problem = judge(operation, outcome, options.timeoutMs, options.allowances);
      if (target === undefined) {
        if (problem && known.has(problem)) result.repeats++;
        if (!problem || known.has(problem)) {
          passed++;
          return true;
        }
        target = problem;
        shrinkDeadline = Date.now() + options.shrinkBudgetMs;
      } else if (problem !== target) {
        return true;
      }
      problems.set(request, { problem, outcome });
      last = { request, problem, outcome };
      return false;
    });
    const examples = round === 0 ? options.examples.map((e) => [e] as [FuzzRequest]) : [];
    const details = await fc.check(property, {
      seed: roundSeed(options.seed, round),
      numRuns: left,
      examples,
      interruptAfterTimeLimit: Math.max(1, options.timeLimitMs - (Date.now() - started)),
      ...(options.replay ? { path: options.replay.path } : {}),
    });
    result.interrupted = details.interrupted;
    // interrupted by the time limit before anything passed: fast-check calls that failed, we do not
    const request = details.counterexample?.[0] ?? last?.request;
    if (!details.failed || (!request && details.interrupted)) break;
    // no problem recorded: the predicate threw (the request could not even be built or sent)
    const found = (request && problems.get(request)) ?? last ?? { problem: `the fuzzer failed: ${String(details.errorInstance)}`, outcome: { body: '' } };
    result.failures.push({
      operation: operation.key,
      problem: options.redact(found.problem),
      request: request ? options.redact(describeRequest(operation, request)) : '',
      answer: options.redact(found.outcome.body.slice(0, 300)),
      seed: roundSeed(options.seed, round),
      round,
      path: details.counterexamplePath,
    });
    known.add(found.problem);
    left -= passed + 1;
    if (options.replay || details.interrupted) break;
  }
  return result;
}

const SHOWN = 240;

/** long runs of one character as `[×100000`, then cut to a readable length */
export function shorten(text: string): string {
  const compact = text
    .replace(/(.)\1{15,}/gsu, (run: string, char: string) => `${char}×${[...run].length}`)
    .replace(/(.{2,12}?)\1{5,}/gsu, (run: string, unit: string) => `(${unit})×${run.length / unit.length}`);
  return compact.length > SHOWN ? `${compact.slice(0, SHOWN)}…(${text.length} chars)` : compact;
}

/** A request as a reader wants it: credential by name, raw path, headers, a body cut short. */
export function describeRequest(operation: Operation, request: FuzzRequest): string {
  const wire = toWire(operation, request, { admin: () => '<admin key>', user: () => '<user JWT>' });
  const headers = Object.entries(wire.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${shorten(JSON.stringify(value))}`);
  const body = request.body;
  let bodyText = '';
  if (body?.kind === 'huge') bodyText = ` body=<${body.bytes} bytes, ${body.shape}${body.shape === 'string-field' ? ` in "${body.field}"` : ''}>`;
  else if (body?.kind === 'bytes') bodyText = ` body=<bytes ${shorten(Buffer.from(body.base64, 'base64').toString('hex'))}>`;
  else if (body) bodyText = ` body=${shorten(wire.body?.toString('utf8') ?? '')}`;
  const credential = `as ${request.credential}`;
  return `${wire.method} ${shorten(wire.path)} ${credential}${headers.length ? ` [${headers.join(', ')}]` : ''}${bodyText}`;
}


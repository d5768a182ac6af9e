import { toErrorResponse } from '@ish/platform';
import { ProviderAbortError, ProviderHttpError, ProviderTimeoutError } from '@ish/providers';
import { AttemptOutcome, FailoverOptions, runWithFailover } from './failover';
import { candidate } from './route-candidate.fixture';
import type { RouteAttempt } from './select-instance';
import { FailoverAbortedError, UpstreamClientError, UpstreamUnavailableError } from './upstream-errors';

const plan = (...names: string[]): RouteAttempt[] => names.map((name) => ({ instance: candidate(name.split(':')[0]), model: name.split(':')[1] ?? 'gpt-4o' }));

const serverError = (status = 503) => new ProviderHttpError(status, {}, { message: `upstream ${status}` }, undefined, `upstream ${status}`);
const rateLimit = (retryAfter?: string) => new ProviderHttpError(429, retryAfter ? { 'retry-after': retryAfter } : {}, { message: 'slow down' }, undefined, 'slow down');
const clientError = (status: number, message: string, code?: string) =>
  new ProviderHttpError(status, {}, { message, type: 'invalid_request_error', code: code ?? null }, code, message);

interface Report {
  instance: string;
  model: string;
  outcome: AttemptOutcome;
  latencyMs: number;
  error?: unknown;
}

/** A call scripted per instance: a function of the attempt, or an error to throw, or a value to return. */
function scripted(script: Record<string, unknown>) {
  const calls: string[] = [];
  const call = jest.fn(async (attempt: RouteAttempt, _signal: AbortSignal) => {
    calls.push(`${attempt.instance.id}:${attempt.model}`);
    const step = script[attempt.instance.id];
    if (step instanceof Error) throw step;
    return step ?? `answer from ${attempt.instance.id}`;
  });
  return { call, calls };
}

function options(extra: Partial<FailoverOptions> = {}): FailoverOptions & { reports: Report[] } {
  const reports: Report[] = [];
  let clock = 0;
  return {
    maxAttempts: 3,
    now: () => (clock += 10),
    onAttemptResult: (attempt, outcome, latencyMs, error) => reports.push({ instance: attempt.instance.id, model: attempt.model, outcome, latencyMs, error }),
    reports,
    ...extra,
  };
}

describe('runWithFailover', () => {
  it('returns the first answer and reports the success', async () => {
    const { call, calls } = scripted({});
    const opts = options();
    const outcome = await runWithFailover(plan('a', 'b'), call, opts);
    expect(outcome).toEqual({ result: 'answer from a', attempt: expect.objectContaining({ model: 'gpt-4o' }), attempts: 1 });
    expect(outcome.attempt.instance.id).toBe('a');
    expect(calls).toEqual(['a:gpt-4o']);
    expect(opts.reports).toEqual([{ instance: 'a', model: 'gpt-4o', outcome: { kind: 'success' }, latencyMs: 10, error: undefined }]);
  });

  it.each([
    ['a 5xx', serverError(500)],
    ['a 503', serverError(503)],
    ['a timeout', new ProviderTimeoutError('no answer within 5000 ms')],
    ['a connection error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['a 408', clientError(408, 'request timeout')],
    ['a plain network error', new TypeError('fetch failed')],
  ])('moves to the next instance on %s', async (_name, error) => {
    const { call, calls } = scripted({ a: error });
    const opts = options();
    const outcome = await runWithFailover(plan('a', 'b'), call, opts);
    expect(outcome).toMatchObject({ result: 'answer from b', attempts: 2 });
    expect(calls).toEqual(['a:gpt-4o', 'b:gpt-4o']);
    expect(opts.reports.map((r) => [r.instance, r.outcome.kind])).toEqual([
      ['a', 'retryable'],
      ['b', 'success'],
    ]);
    expect(opts.reports[0].error).toBe(error);
  });

  it('reports a 429 with its Retry-After, moves on, and skips that instance for the rest of the plan', async () => {
    const { call, calls } = scripted({ a: rateLimit('7') });
    const opts = options({ maxAttempts: 5 });
    const outcome = await runWithFailover(plan('a:gpt-4o', 'a:gpt-4o-mini', 'b:gpt-4o-mini'), call, opts);
    expect(outcome).toMatchObject({ result: 'answer from b', attempts: 2 });
    expect(calls).toEqual(['a:gpt-4o', 'b:gpt-4o-mini']);
    expect(opts.reports[0].outcome).toEqual({ kind: 'rate_limited', status: 429, message: 'slow down', retryAfterMs: 7000 });
  });

  it('stops at a client error and rethrows it with the upstream status, message and code', async () => {
    const { call, calls } = scripted({ a: clientError(404, 'The model `gpt-5o` does not exist', 'model_not_found') });
    const opts = options();
    const error = await runWithFailover(plan('a', 'b'), call, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamClientError);
    expect(calls).toEqual(['a:gpt-4o']);
    expect(opts.reports.map((r) => r.outcome.kind)).toEqual(['client_error']);
    const response = toErrorResponse(error);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { type: 'not_found_error', code: 'model_not_found', message: 'The model `gpt-5o` does not exist' } });
  });

  it.each([400, 401, 403, 409, 413, 422])('does not retry a %i', async (status) => {
    const { call, calls } = scripted({ a: clientError(status, 'nope') });
    await expect(runWithFailover(plan('a', 'b'), call, options())).rejects.toMatchObject({ status, message: 'nope' });
    expect(calls).toHaveLength(1);
  });

  it('gives up after maxAttempts with 502 and the last message', async () => {
    const { call, calls } = scripted({ a: serverError(500), b: serverError(502), c: serverError(503), d: serverError(500) });
    const error = await runWithFailover(plan('a', 'b', 'c', 'd'), call, options({ maxAttempts: 3 })).catch((e: unknown) => e);
    expect(calls).toEqual(['a:gpt-4o', 'b:gpt-4o', 'c:gpt-4o']);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ attempts: 3, lastFailure: { status: 503 } });
    expect(toErrorResponse(error)).toMatchObject({
      status: 502,
      body: { error: { type: 'upstream_error', code: 'upstream_failed', message: 'Upstream failed: 3 attempt(s) failed; last: upstream 503' } },
    });
  });

  it('gives up when the plan runs out before maxAttempts', async () => {
    const { call, calls } = scripted({ a: serverError() });
    await expect(runWithFailover(plan('a'), call, options({ maxAttempts: 3 }))).rejects.toMatchObject({ status: 502, attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('answers 504 when the last attempt timed out', async () => {
    const { call } = scripted({ a: serverError(), b: new ProviderTimeoutError('no answer within 5000 ms') });
    const error = await runWithFailover(plan('a', 'b'), call, options()).catch((e: unknown) => e);
    expect(toErrorResponse(error)).toMatchObject({ status: 504, body: { error: { type: 'upstream_error', code: 'upstream_timeout' } } });
  });

  it('answers 503 with Retry-After when every instance was rate-limited', async () => {
    const { call } = scripted({ a: rateLimit('30'), b: rateLimit('2'), c: rateLimit() });
    const error = await runWithFailover(plan('a', 'b', 'c'), call, options()).catch((e: unknown) => e);
    expect(toErrorResponse(error)).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '2' },
      body: { error: { type: 'upstream_error', code: 'upstream_rate_limited' } },
    });
  });

  it('answers 503 no_healthy_instance for an empty plan, without calling', async () => {
    const { call } = scripted({});
    const error = await runWithFailover([], call, options()).catch((e: unknown) => e);
    expect(call).not.toHaveBeenCalled();
    expect(toErrorResponse(error)).toMatchObject({ status: 503, body: { error: { type: 'upstream_error', code: 'no_healthy_instance' } } });
  });

  it('answers 503 no_healthy_instance for maxAttempts 0', async () => {
    const { call } = scripted({});
    await expect(runWithFailover(plan('a'), call, options({ maxAttempts: 0 }))).rejects.toMatchObject({ status: 503, code: 'no_healthy_instance' });
    expect(call).not.toHaveBeenCalled();
  });

  describe('admit', () => {
    it('skips attempts the breaker refuses without counting them', async () => {
      const { call, calls } = scripted({ b: serverError() });
      const admit = jest.fn((attempt: RouteAttempt) => attempt.instance.id !== 'a');
      const outcome = await runWithFailover(plan('a', 'b', 'c', 'd'), call, options({ admit, maxAttempts: 2 }));
      expect(calls).toEqual(['b:gpt-4o', 'c:gpt-4o']);
      expect(outcome).toMatchObject({ result: 'answer from c', attempts: 2 });
    });

    it('answers 503 no_healthy_instance when it refuses everything', async () => {
      const { call } = scripted({});
      await expect(runWithFailover(plan('a', 'b'), call, options({ admit: async () => false }))).rejects.toMatchObject({ code: 'no_healthy_instance' });
    });

    it('admits when it throws (fail open)', async () => {
      const { call, calls } = scripted({});
      await runWithFailover(plan('a'), call, options({ admit: () => Promise.reject(new Error('redis down')) }));
      expect(calls).toEqual(['a:gpt-4o']);
    });
  });

  describe('abort', () => {
    it('does not start when the signal is already aborted', async () => {
      const { call } = scripted({});
      const controller = new AbortController();
      controller.abort();
      await expect(runWithFailover(plan('a'), call, options({ signal: controller.signal }))).rejects.toBeInstanceOf(FailoverAbortedError);
      expect(call).not.toHaveBeenCalled();
    });

    it('stops at once, without waiting for the call, and passes the abort to it', async () => {
      const controller = new AbortController();
      let seen: AbortSignal | undefined;
      const call = jest.fn((_attempt: RouteAttempt, signal: AbortSignal) => {
        seen = signal;
        return new Promise<string>(() => undefined);
      });
      const opts = options({ signal: controller.signal });
      const running = runWithFailover(plan('a', 'b'), call, opts);
      await Promise.resolve();
      controller.abort(new Error('client went away'));
      await expect(running).rejects.toBeInstanceOf(FailoverAbortedError);
      expect(seen?.aborted).toBe(true);
      expect(call).toHaveBeenCalledTimes(1);
      expect(opts.reports.map((r) => r.outcome.kind)).toEqual(['aborted']);
    });

    it('does not fail over when the call rejects because the caller aborted', async () => {
      const controller = new AbortController();
      const call = jest.fn(async () => {
        controller.abort();
        throw new ProviderAbortError();
      });
      await expect(runWithFailover(plan('a', 'b'), call, options({ signal: controller.signal }))).rejects.toBeInstanceOf(FailoverAbortedError);
      expect(call).toHaveBeenCalledTimes(1);
    });

    it('treats a call that aborted itself (its own deadline) as a timeout and moves on', async () => {
      const { call, calls } = scripted({ a: new ProviderAbortError() });
      const opts = options({ signal: new AbortController().signal });
      const outcome = await runWithFailover(plan('a', 'b'), call, opts);
      expect(calls).toEqual(['a:gpt-4o', 'b:gpt-4o']);
      expect(outcome.result).toBe('answer from b');
      expect(opts.reports[0].outcome).toMatchObject({ kind: 'retryable', timedOut: true });
    });

    it('stops during the pause between attempts', async () => {
      const controller = new AbortController();
      const { call } = scripted({ a: serverError() });
      const sleep = jest.fn(() => {
        controller.abort();
        return new Promise<void>(() => undefined);
      });
      await expect(
        runWithFailover(plan('a', 'b'), call, options({ signal: controller.signal, retryDelayMs: 100, sleep })),
      ).rejects.toBeInstanceOf(FailoverAbortedError);
      expect(call).toHaveBeenCalledTimes(1);
    });

    it('stops while admit is pending', async () => {
      const controller = new AbortController();
      const { call } = scripted({});
      const admit = () => {
        controller.abort();
        return new Promise<boolean>(() => undefined);
      };
      await expect(runWithFailover(plan('a'), call, options({ signal: controller.signal, admit }))).rejects.toBeInstanceOf(FailoverAbortedError);
      expect(call).not.toHaveBeenCalled();
    });

    it('removes its abort listeners once done', async () => {
      const controller = new AbortController();
      const added = jest.spyOn(controller.signal, 'addEventListener');
      const removed = jest.spyOn(controller.signal, 'removeEventListener');
      const { call } = scripted({ a: serverError() });
      await runWithFailover(plan('a', 'b'), call, options({ signal: controller.signal }));
      expect(removed).toHaveBeenCalledTimes(added.mock.calls.length);
    });
  });

  it('gives each attempt a fresh signal', async () => {
    const signals: AbortSignal[] = [];
    const call = jest.fn(async (attempt: RouteAttempt, signal: AbortSignal) => {
      signals.push(signal);
      if (attempt.instance.id === 'a') throw serverError();
      return 'ok';
    });
    await runWithFailover(plan('a', 'b'), call, options());
    expect(signals).toHaveLength(2);
    expect(signals[0]).not.toBe(signals[1]);
    expect(signals.every((signal) => !signal.aborted)).toBe(true);
  });

  it('pauses retryDelayMs between attempts only', async () => {
    const sleep = jest.fn(async () => undefined);
    const { call } = scripted({ a: serverError(), b: serverError() });
    await runWithFailover(plan('a', 'b', 'c'), call, options({ retryDelayMs: 250, sleep }));
    expect(sleep.mock.calls).toEqual([[250], [250]]);
  });

  it('uses real timers for the pause by default', async () => {
    const { call } = scripted({ a: serverError() });
    const started = Date.now();
    await runWithFailover(plan('a', 'b'), call, { maxAttempts: 2, retryDelayMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('classifies a call that throws synchronously', async () => {
    const call = jest.fn((attempt: RouteAttempt) => {
      if (attempt.instance.id === 'a') throw serverError();
      return Promise.resolve('ok');
    });
    await expect(runWithFailover(plan('a', 'b'), call, options())).resolves.toMatchObject({ result: 'ok', attempts: 2 });
  });

  it('measures latency per attempt with the injected clock', async () => {
    const { call } = scripted({ a: serverError() });
    const opts = options();
    await runWithFailover(plan('a', 'b'), call, opts);
    expect(opts.reports.map((r) => r.latencyMs)).toEqual([10, 10]);
  });
});

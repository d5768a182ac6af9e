import { Injectable, Logger } from '@nestjs/common';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ProviderType, RoutableInstance, RoutingTableSnapshot } from '@ish/contracts';
import { ApiError } from '@ish/platform';
import { estimateCost, fitRequestToProvider, ProviderClient, UnsupportedParameterError, UpstreamFailure } from '@ish/providers';
import {
  aliasedModels,
  AttemptOutcome,
  CircuitBreakerStore,
  InFlightTracker,
  INITIAL_ROUTING_STATE,
  observeUpstreamCall,
  parseModelRef,
  planRoute,
  RouteAttempt,
  RouteCandidate,
  RoutingState,
  RoutingTableStore,
  runWithFailover,
  SlidingWindowStats,
} from '@ish/routing';
import { ProviderClients } from './provider-clients';
import { RelayCoreConfig } from './relay-core.config';
import { RequestLogWriter } from './request-log.writer';
import { CountText, estimateChatTokens, estimateEmbeddingTokens } from './token-estimate';
import { TokensPerMinuteLimiter } from './tokens-per-minute.limiter';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { embeddingInputs } from '@ish/contracts';
import { embeddingsAnswer, EmbeddingsResponse } from '@ish/providers';

/** The OpenAI request minus routing: `model` is the client's reference (`gpt-4o`, `groq/llama…`, `auto`). */
export type ChatParams = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

export interface CallerContext {
  userId: string;
  apiKeyId: string | null;
  /** the key's tokensPerMinute; absent, null or 0: no limit */
  tokensPerMinute?: number | null;
  /** aborted when the client goes away: the upstream call is cancelled */
  signal?: AbortSignal;
}

export interface Served {
  instance: RoutableInstance;
  /** the model the instance was asked for */
  model: string;
  attempts: number;
  latencyMs: number;
}

export interface StreamHandle extends Served {
  /** the usage chunk carries `usage.cost_usd`, the estimated cost of the call */
  chunks: AsyncIterable<ChatCompletionChunk>;
  /** parameters the provider could not honour, dropped under `drop_params` */
  droppedParams: string[];
}

/** How a Chat Completions request is served beyond its parameters. */
export interface ChatOptions {
  /** `drop_params`: parameters the provider cannot honour are dropped instead of refused */
  dropParams?: boolean;
}

export interface CompletionServed extends Served {
  completion: ChatCompletion;
  /** the estimated cost of the call in USD */
  costUsd: number;
  droppedParams: string[];
}

/**
 * A request some instances take untranslated, in their own protocol (the Messages API to Anthropic
 * instances); every other instance gets its OpenAI form. Routing, failover, circuits, rate limits and the
 * request log are the translated path's.
 */
export interface NativeRoute<Answer, Event> {
  /** the instance's provider takes the request as it came */
  takes(providerType: ProviderType): boolean;
  complete(client: ProviderClient, model: string, signal: AbortSignal): Promise<{ answer: Answer; usage: CompletionUsage | undefined }>;
  stream(client: ProviderClient, model: string, signal: AbortSignal): Promise<NativeStream<Event>>;
}

/** A native stream's events, and what its events said so far: the usage, and whether one reported an error. */
export interface NativeStream<Event> {
  events: AsyncIterator<Event>;
  state(): { usage: CompletionUsage | undefined; failed: boolean };
}

/** Served by the native path (`answer`) or the translated one (`completion`). */
export type RoutedServed<Answer> = Served & { costUsd: number; droppedParams: string[] } & ({ answer: Answer; completion?: undefined } | { completion: ChatCompletion; answer?: undefined });

/** A stream from the native path (`events`) or the translated one (`chunks`). */
export type RoutedStream<Event> = Served & { droppedParams: string[] } & ({ events: AsyncIterable<Event>; chunks?: undefined } | { chunks: AsyncIterable<ChatCompletionChunk>; events?: undefined });

/** 400 unsupported_parameter naming the parameter, in OpenAI's shape (API.md "Relay — chat"). */
export function unsupportedParameterError(error: UnsupportedParameterError): ApiError {
  return ApiError.badRequest('unsupported_parameter', error.message).withParam(error.param);
}

/**
 * The one AI-call path of relay (sync, streaming) and worker (jobs): plan from the local routing
 * table, try instances in order with failover, feed circuit breakers, passive health and the request
 * log. No network round trip decides where a request goes.
 */
@Injectable()
export class ChatExecutor {
  private readonly logger = new Logger('ChatExecutor');
  private readonly windows = new Map<string, SlidingWindowStats>();
  private readonly rateLimitedUntil = new Map<string, number>();
  private routingState: RoutingState = INITIAL_ROUTING_STATE;

  constructor(
    private readonly config: RelayCoreConfig,
    private readonly table: RoutingTableStore,
    private readonly requestLog: RequestLogWriter,
    private readonly inFlight: InFlightTracker,
    private readonly clients: ProviderClients,
    private readonly circuits: CircuitBreakerStore,
    private readonly tokensPerMinute: TokensPerMinuteLimiter,
  ) {}

  /**
   * 404 model_not_found (OpenAI's shape) when no instance, healthy or not, serves the model; 503 while
   * this process has no routing table yet (just started): it cannot know, and the client may retry.
   */
  assertModelKnown(modelRef: string): void {
    const table = this.table.current();
    if (!table) throw ApiError.unavailable('The routing table is not loaded yet; retry shortly', 'routing_table_not_loaded');
    // an alias is known when one of its models is
    const known = (aliasedModels(modelRef, table.aliases) ?? [modelRef]).some((ref) => isModelKnown(table, ref.trim()));
    if (!known) {
      throw new ApiError(404, 'invalid_request_error', 'model_not_found', `The model \`${modelRef}\` does not exist or no instance serves it`).withParam('model');
    }
  }

  async complete(params: ChatParams, caller: CallerContext, options: ChatOptions = {}): Promise<CompletionServed> {
    const served = await this.completeRouted<never>(params.model, () => ({ params, dropped: [] }), caller, options);
    return { ...served, completion: served.completion! };
  }

  /** A completion by the native path where the instance takes it (`native`), else translated; `request` gives the OpenAI form. */
  async completeRouted<Answer>(
    modelRef: string,
    request: () => { params: ChatParams; dropped: string[] } | { error: Error },
    caller: CallerContext,
    options: ChatOptions = {},
    native?: NativeRoute<Answer, unknown>,
  ): Promise<RoutedServed<Answer>> {
    const started = Date.now();
    let droppedParams: string[] = [];
    const { result, attempt, attempts } = await this.run(
      { model: modelRef, estimateTokens: chatEstimate(request) },
      caller,
      async (client, model, signal, _instanceId, providerType) => {
        if (native?.takes(providerType)) {
          droppedParams = [];
          return native.complete(client, model, signal);
        }
        const { params, dropped } = translated(request);
        const fitted = fitRequestToProvider(params, providerType, options.dropParams === true);
        droppedParams = [...dropped, ...fitted.dropped];
        // a native adapter refuses (or, with drop_params, drops and reports) what its provider cannot take
        const completion = await client.chatCompletion({ ...fitted.request, model, stream: false, ...dropParamsOf(options) }, signal, (more) => (droppedParams = [...droppedParams, ...more]));
        return { completion, usage: completion.usage };
      },
      false,
      (plan) => this.honouring(plan, request, options, native),
    );
    this.logCall(attempt, caller, 'success', Date.now() - started, result.usage, 200);
    const { costUsd } = costOf(attempt, result.usage);
    const served = { costUsd, droppedParams, instance: attempt.instance, model: attempt.model, attempts, latencyMs: Date.now() - started };
    return 'answer' in result ? { ...served, answer: result.answer } : { ...served, completion: result.completion };
  }

  /**
   * A call only instances of some providers answer (Anthropic's count_tokens), with failover among those
   * when the route's first choice is one; undefined when it is not (or nothing is routable): the caller
   * answers itself. A success is not a request log entry: nothing was generated.
   */
  async askNative<T>(
    modelRef: string,
    caller: CallerContext,
    takes: (providerType: ProviderType) => boolean,
    call: (client: ProviderClient, model: string, signal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    let local = false;
    try {
      const { result } = await this.run({ model: modelRef }, caller, call, false, (plan) => {
        local = plan.length === 0 || !takes(plan[0].instance.providerType);
        return local ? [] : plan.filter((attempt) => takes(attempt.instance.providerType));
      });
      return result;
    } catch (error) {
      if (local) return undefined;
      throw error;
    }
  }

  /**
   * The attempts that can serve the request as asked: 400 unsupported_parameter (or the request's own
   * translation error) when the first choice cannot honour it (unless dropped); failover skips instances
   * that cannot either. An instance taking the request natively honours it as it came.
   */
  private honouring(plan: RouteAttempt[], request: () => { params: ChatParams; dropped: string[] } | { error: Error }, options: ChatOptions, native?: NativeRoute<unknown, unknown>): RouteAttempt[] {
    if (plan.length === 0) return plan;
    const check = (attempt: RouteAttempt) => {
      if (native?.takes(attempt.instance.providerType)) return;
      const { params } = translated(request);
      if (!options.dropParams) fitRequestToProvider(params, attempt.instance.providerType, false);
    };
    try {
      check(plan[0]);
    } catch (error) {
      if (error instanceof UntranslatableError) throw error.reason;
      throw error instanceof UnsupportedParameterError ? unsupportedParameterError(error) : error;
    }
    return plan.filter((attempt) => {
      try {
        check(attempt);
        return true;
      } catch (error) {
        if (error instanceof UnsupportedParameterError || error instanceof UntranslatableError) return false;
        throw error;
      }
    });
  }

  /**
   * Streams with failover before the first chunk only: an attempt counts as answered once its first
   * chunk arrived. Usage is always requested upstream (for the request log); `includeUsage` says
   * whether the client sees the usage chunk.
   */
  async stream(params: ChatParams, caller: CallerContext, includeUsage: boolean, options: ChatOptions = {}): Promise<StreamHandle> {
    const served = await this.streamRouted<never>(params.model, () => ({ params, dropped: [] }), caller, includeUsage, options);
    return { ...served, chunks: served.chunks! };
  }

  /** A stream by the native path where the instance takes it (events as they come), else translated (OpenAI chunks). */
  async streamRouted<Event>(
    modelRef: string,
    request: () => { params: ChatParams; dropped: string[] } | { error: Error },
    caller: CallerContext,
    includeUsage: boolean,
    options: ChatOptions = {},
    native?: NativeRoute<unknown, Event>,
  ): Promise<RoutedStream<Event>> {
    const started = Date.now();
    let droppedParams: string[] = [];
    const { result, attempt, attempts } = await this.run(
      { model: modelRef, estimateTokens: chatEstimate(request) },
      caller,
      async (client, model, signal, instanceId, providerType): Promise<StreamAttempt<Event>> => {
        if (native?.takes(providerType)) {
          droppedParams = [];
          const stream = await native.stream(client, model, signal);
          const first = await stream.events.next();
          return { kind: 'native', native: stream, first, hold: this.inFlight.acquire(instanceId) };
        }
        const { params, dropped } = translated(request);
        const fitted = fitRequestToProvider(params, providerType, options.dropParams === true);
        droppedParams = [...dropped, ...fitted.dropped];
        const iterator = await client.chatCompletionStream(
          { ...fitted.request, model, stream: true, stream_options: { include_usage: true }, ...dropParamsOf(options) },
          signal,
          (more) => (droppedParams = [...droppedParams, ...more]),
        );
        const first = await iterator.next();
        // the stream outlives its attempt: it stays in flight on the instance until its last chunk
        return { kind: 'translated', iterator, first, hold: this.inFlight.acquire(instanceId) };
      },
      true,
      (plan) => this.honouring(plan, request, options, native),
    );
    const done = (outcome: string, usage: CompletionUsage | undefined) => {
      result.hold();
      this.logCall(attempt, caller, outcome, Date.now() - started, usage, outcome === 'success' ? 200 : null);
    };
    const served = { droppedParams, instance: attempt.instance, model: attempt.model, attempts, latencyMs: Date.now() - started };
    if (result.kind === 'native') return { ...served, events: this.forward(result.first, result.native.events, () => true, result.native.state, done) };
    let usage: CompletionUsage | undefined;
    const pass = (chunk: ChatCompletionChunk) => {
      if (chunk.usage) {
        usage = chunk.usage;
        (chunk.usage as UsageWithCost).cost_usd = costOf(attempt, usage).costUsd;
      }
      // the usage-only chunk only when asked, with `cost_usd`
      return chunk.choices.length > 0 || !chunk.usage || includeUsage;
    };
    return { ...served, chunks: this.forward(result.first, result.iterator, pass, () => ({ usage, failed: false }), done) };
  }

  /** Passes the upstream items on as they come (those `pass` lets through) and reports how it ended. */
  private async *forward<T>(
    first: IteratorResult<T>,
    iterator: AsyncIterator<T>,
    pass: (item: T) => boolean,
    state: () => { usage: CompletionUsage | undefined; failed: boolean },
    done: (outcome: string, usage: CompletionUsage | undefined) => void,
  ): AsyncGenerator<T> {
    let outcome = 'client_closed';
    try {
      for (let next = first; !next.done; next = await iterator.next()) if (pass(next.value)) yield next.value;
      outcome = state().failed ? 'stream_error' : 'success';
    } catch (error) {
      outcome = 'stream_error';
      throw error;
    } finally {
      done(outcome, state().usage);
      await iterator.return?.();
    }
  }

  private async run<T>(
    params: { model: string; estimateTokens?: (count: CountText) => number },
    caller: CallerContext,
    call: (client: ProviderClient, model: string, signal: AbortSignal, instanceId: string, providerType: ProviderType) => Promise<T>,
    outlivesAttempt = false,
    choose: (plan: RouteAttempt[]) => RouteAttempt[] = (plan) => plan,
  ) {
    this.assertModelKnown(params.model);
    const attempts = choose(await this.plan(params.model));
    if (params.estimateTokens) await this.tokensPerMinute.reserve(caller, params.estimateTokens);
    return runWithFailover(
      attempts,
      async (attempt, signal) => {
        const release = this.inFlight.acquire(attempt.instance.id);
        try {
          // a stream outlives its attempt (whose signal follows the caller's only while it runs): a client
          // leaving must still cancel it, so it listens to the caller's signal too
          const upstreamSignal = outlivesAttempt && caller.signal ? AbortSignal.any([signal, caller.signal]) : signal;
          return await call(this.clients.for(attempt.instance), attempt.model, upstreamSignal, attempt.instance.id, attempt.instance.providerType);
        } finally {
          release();
        }
      },
      {
        maxAttempts: this.config.RELAY_MAX_ATTEMPTS,
        signal: caller.signal,
        admit: (attempt) => this.circuits.tryAcquire(attempt.instance.id),
        onAttemptResult: (attempt, outcome, latencyMs) => this.onAttempt(attempt, outcome, latencyMs, caller),
      },
    ).catch((error: unknown) => {
      // no attempt answered: nothing was used
      this.tokensPerMinute.release(caller);
      throw error;
    });
  }

  private async plan(modelRef: string): Promise<RouteAttempt[]> {
    const table = this.table.current();
    if (!table) return [];
    const circuits = await this.circuits.statesOf(table.instances.map((i) => i.id)).catch(() => new Map());
    const now = Date.now();
    const candidates: RouteCandidate[] = table.instances.map((instance) => ({
      ...instance,
      inFlight: this.inFlight.count(instance.id),
      p50LatencyMs: this.windows.get(instance.id)?.snapshot(now).p50LatencyMs || instance.p50LatencyMs,
      circuit: circuits.get(instance.id) ?? 'closed',
      retryAfterUntil: this.rateLimitedUntil.get(instance.id),
    }));
    const plan = planRoute(candidates, { model: modelRef }, { strategy: table.strategy, fallbacks: table.fallbacks, aliases: table.aliases }, this.routingState, now);
    this.routingState = plan.state;
    return plan.attempts;
  }

  private onAttempt(attempt: RouteAttempt, outcome: AttemptOutcome, latencyMs: number, caller: CallerContext): void {
    const id = attempt.instance.id;
    const window = this.windowOf(id);
    if (outcome.kind === 'aborted') {
      void this.circuits.release(id).catch(() => undefined);
      return;
    }
    const instanceFailed = outcome.kind === 'retryable';
    window.record(latencyMs, !instanceFailed);
    observeUpstreamCall(attempt.instance, outcome.kind === 'success' ? 'success' : outcomeName(outcome), latencyMs);
    if (outcome.kind === 'rate_limited') this.rateLimitedUntil.set(id, Date.now() + (outcome.retryAfterMs ?? 1000));
    const snapshot = window.snapshot();
    const verdict = instanceFailed ? this.circuits.recordFailure(id, snapshot.errorRate, snapshot.requests) : this.circuits.recordSuccess(id);
    void verdict.catch((error: unknown) => this.logger.warn(`circuit update for ${id} failed: ${(error as Error).message}`));
    if (outcome.kind !== 'success') this.logCall(attempt, caller, outcomeName(outcome), latencyMs, undefined, outcome.status ?? null);
  }

  private windowOf(id: string): SlidingWindowStats {
    let window = this.windows.get(id);
    if (!window) this.windows.set(id, (window = new SlidingWindowStats()));
    return window;
  }

  logCall(attempt: RouteAttempt, caller: CallerContext, outcome: string, latencyMs: number, usage: ChatCompletion['usage'] | undefined, statusCode: number | null): void {
    const providerType: ProviderType = attempt.instance.providerType;
    const promptTokens = usage?.prompt_tokens ?? 0;
    const completionTokens = usage?.completion_tokens ?? 0;
    const { costUsd, unpriced } = costOf(attempt, usage);
    this.tokensPerMinute.settle(caller, outcome, usage);
    this.requestLog.record({
      instanceId: attempt.instance.id,
      userId: caller.userId,
      apiKeyId: caller.apiKeyId,
      model: attempt.model,
      providerType,
      promptTokens,
      completionTokens,
      costUsd,
      unpriced,
      latencyMs: Math.round(latencyMs),
      outcome,
      statusCode,
    });
  }

  /**
   * OpenAI Embeddings on the same path as completions (routing, failover, circuits, request log);
   * the vectors come back in the encoding the client asked for, whatever the provider answered.
   */
  async embed(params: EmbeddingCreateParams, caller: CallerContext): Promise<Served & { response: EmbeddingsResponse; costUsd: number }> {
    const started = Date.now();
    const inputs = embeddingInputs(params.input).length;
    const estimateTokens = (count: CountText) => estimateEmbeddingTokens(params.input, count);
    const { result, attempt, attempts } = await this.run({ model: params.model, estimateTokens }, caller, async (client, model, signal) =>
      embeddingsAnswer(await client.embeddings({ ...params, model }, signal), params.encoding_format ?? 'float', inputs, model),
    );
    const promptTokens = result.usage.prompt_tokens;
    this.logCall(attempt, caller, 'success', Date.now() - started, { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: result.usage.total_tokens }, 200);
    const { costUsd } = estimateCost(attempt.instance.providerType, attempt.model, { promptTokens, completionTokens: 0 }, attempt.instance.settings?.prices);
    return { response: result, costUsd, instance: attempt.instance, model: attempt.model, attempts, latencyMs: Date.now() - started };
  }
}

/** OpenAI's usage with the estimated cost we add on a stream's usage chunk. */
type UsageWithCost = NonNullable<ChatCompletion['usage']> & { cost_usd?: number };

/** The estimated cost at the instance's prices over the built-in table; cached prompt tokens at the cached price. */
function costOf(attempt: RouteAttempt, usage: ChatCompletion['usage'] | undefined): { costUsd: number; unpriced: boolean } {
  const tokens = { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0, cachedPromptTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0 };
  return estimateCost(attempt.instance.providerType, attempt.model, tokens, attempt.instance.settings?.prices);
}

/** A stream that answered: its first item is in; `hold` keeps it in flight on the instance. */
type StreamAttempt<Event> = { hold: () => void } & (
  | { kind: 'native'; native: NativeStream<Event>; first: IteratorResult<Event> }
  | { kind: 'translated'; iterator: AsyncIterator<ChatCompletionChunk>; first: IteratorResult<ChatCompletionChunk> }
);

/** A request with no OpenAI form for an instance that needs one: that instance is skipped, or, first choice, the error is the answer. */
class UntranslatableError extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

function translated(request: () => { params: ChatParams; dropped: string[] } | { error: Error }): { params: ChatParams; dropped: string[] } {
  const translation = request();
  if ('error' in translation) throw new UntranslatableError(translation.error);
  return translation;
}

/** A chat request's token estimate from its OpenAI form; a request with none (native only) reserves nothing and counts its usage. */
function chatEstimate(request: () => { params: ChatParams; dropped: string[] } | { error: Error }): (count: CountText) => number {
  return (count) => {
    const translation = request();
    return 'error' in translation ? 0 : estimateChatTokens(translation.params, count);
  };
}

/** `drop_params` for the adapters (each strips it before the provider sees it) */
function dropParamsOf(options: ChatOptions): { drop_params?: true } {
  return options.dropParams ? { drop_params: true } : {};
}

function outcomeName(outcome: UpstreamFailure): string {
  if (outcome.kind === 'rate_limited') return 'rate_limited';
  if (outcome.kind === 'client_error') return 'client_error';
  return outcome.timedOut ? 'timeout' : 'upstream_error';
}

/** Some instance, healthy or not, serves the model, or the policy gives it fallbacks. */
function isModelKnown(table: RoutingTableSnapshot, modelRef: string): boolean {
  const { model, provider } = parseModelRef(modelRef);
  const instances = table.instances;
  // `provider/auto` with no instance of that provider at all can never be served: 404 like an unserved model, not 503
  if (model === 'auto' && (!provider || instances.some((i) => i.providerType === provider))) return true;
  const served = instances.some(
    (i) => (!provider || i.providerType === provider) && (i.models.length === 0 || i.models.includes(model) || i.models.includes(modelRef)),
  );
  return served || (table.fallbacks?.[modelRef] ?? []).length > 0;
}

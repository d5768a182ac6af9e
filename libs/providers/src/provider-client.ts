import http, { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { InstanceSettings, normaliseHost, ProviderType } from '@ish/contracts';
import { HostResolver, literalHostProblem, OutboundAddressRefusedError, OutboundPolicy, outboundLookup } from '@ish/platform';
import type { AdapterSettings, OpenAIChatRequest, UpstreamCall } from './adapters/adapter-types';
import { ANTHROPIC_ENDPOINTS, anthropicHeaders } from './adapters/anthropic';
import { PROVIDER_SPECS, ProviderConfigError, ProviderSpec, resolveBaseUrl } from './provider-specs';
import { ProtocolAdapter, protocolAdapter } from './provider-protocols';
import { safeUpstreamText } from './safe-upstream-text';
import { SseDecoder, SseEvent } from './sse-decoder';

export const DEFAULT_PROVIDER_TIMEOUT_MS = 60_000;
/** a larger answer is not a chat completion: the instance is broken (or hostile) */
export const MAX_UPSTREAM_RESPONSE_BYTES = 32 * 1024 * 1024;
/** 2048 inputs of 3072 floats as JSON numbers run past 100 MB */
export const MAX_UPSTREAM_EMBEDDINGS_BYTES = 160 * 1024 * 1024;

export interface ProviderClientOptions {
  providerType: ProviderType;
  /** the instance's base URL; empty or undefined takes the provider's default */
  baseUrl?: string;
  apiKey?: string;
  /** per-request timeout of this instance: until the whole answer, or a stream's first event */
  timeoutMs?: number;
  /** loopback and private ranges are reachable (PROVIDER_ALLOW_PRIVATE_NETWORKS, default true); metadata and link-local never are */
  allowPrivateNetworks?: boolean;
  /** a stand-in for the system resolver (tests) */
  resolve?: HostResolver;
  /** the instance's protocol settings (anthropicVersion, defaultMaxTokens, apiVersion, deployments) */
  settings?: InstanceSettings;
}

/** A Messages API request sent to an Anthropic instance as the client sent it (no translation). */
export interface AnthropicPassThrough {
  endpoint: 'messages' | 'countTokens';
  /** the client's body, byte for byte (its `model` already rewritten when routing chose another) */
  body: Buffer;
  /** the client's `anthropic-version`; the instance's setting when the client sent none */
  anthropicVersion?: string;
  /** the client's `anthropic-beta`, forwarded as it came */
  anthropicBeta?: string;
  /** the body asks for a stream (`"stream": true`) */
  stream?: boolean;
}

/** Anthropic's 2xx answer: its text as it came, and parsed (for the usage). */
export interface AnthropicPassThroughAnswer {
  text: string;
  body: Record<string, unknown>;
}

/** Whether instances of this provider take a Messages API request untranslated (they speak Anthropic's protocol). */
export function takesMessagesUntranslated(providerType: ProviderType): boolean {
  return PROVIDER_SPECS[providerType].protocol === 'anthropic';
}

/** The provider answered with an HTTP error; read like any error with a `status` by classifyUpstreamError. */
export class ProviderHttpError extends Error {
  override readonly name = 'ProviderHttpError';
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    /** the `error` object of the body (OpenAI's shape), or the whole body when it has none */
    readonly error: unknown,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** No answer within the instance's timeout. */
export class ProviderTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The caller's signal fired. */
export class ProviderAbortError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('the request was cancelled');
  }
}

/** The provider answered 2xx with something that is not its protocol's answer: the instance is broken (502). */
export class ProviderAnswerError extends Error {
  override readonly name = 'ProviderAnswerError';
}

/**
 * The HTTP client of one provider instance, the one transport under every adapter: the caller speaks
 * OpenAI Chat Completions, the instance's adapter (provider-protocols) says what to send and maps the
 * answer, the stream and the errors back; this sends it on a keep-alive connection pool of node:http. It is the hot
 * path of every relay and worker call, so it does no more than the protocol asks: the `openai` SDK's
 * fetch, WHATWG streams and retry machinery cost ~10× the CPU of the exchange itself (see
 * docs/benchmarks.md). It never retries: failover to another instance is ours.
 */
export class ProviderClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  private readonly spec: ProviderSpec;
  private readonly protocol: ProtocolAdapter;
  /** the adapter settings of every call but `model` */
  private readonly settings: Omit<AdapterSettings, 'model'>;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly origin: URL;
  private readonly hostname: string;
  /** never repeated back from an upstream's error text */
  private readonly secrets: string[];

  constructor(options: ProviderClientOptions) {
    const apiKey = options.apiKey?.trim() || undefined;
    const spec = (this.spec = PROVIDER_SPECS[options.providerType]);
    if (!apiKey && spec.requiresApiKey) throw new ProviderConfigError(`${spec.label} instances need an API key`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ProviderConfigError(`timeoutMs must be positive, got ${timeoutMs}`);
    this.timeoutMs = Math.ceil(timeoutMs);
    this.baseUrl = resolveBaseUrl(options.providerType, options.baseUrl);
    this.origin = new URL(this.baseUrl);
    if (this.origin.protocol !== 'http:' && this.origin.protocol !== 'https:') throw new ProviderConfigError(`the base URL must be http or https, got ${this.origin.protocol}`);
    this.transport = this.origin.protocol === 'https:' ? https : http;
    // one spelling of the host (`api.example.com.` is `api.example.com`) for the checks and the connection
    this.hostname = normaliseHost(this.origin.hostname);
    const policy: OutboundPolicy = { allowPrivateNetworks: options.allowPrivateNetworks ?? true, setting: 'PROVIDER_ALLOW_PRIVATE_NETWORKS', resolve: options.resolve };
    // a literal address is never looked up, so it is checked here; a name is checked by the agent's lookup
    const problem = literalHostProblem(this.hostname, policy);
    if (problem) throw new OutboundAddressRefusedError(`refused: ${problem}`);
    // lifo: the most recently used sockets stay warm and the idle ones reach the server's keep-alive timeout;
    // the lookup resolves and checks once per new connection, and the connection goes to what it checked
    this.agent = new this.transport.Agent({ keepAlive: true, scheduling: 'lifo', maxFreeSockets: 256, lookup: outboundLookup(policy) });
    this.protocol = protocolAdapter(spec);
    const settings = options.settings ?? {};
    this.settings = {
      apiKey,
      anthropicVersion: settings.anthropicVersion,
      defaultMaxTokens: settings.defaultMaxTokens,
      apiVersion: settings.apiVersion,
      deployments: settings.deployments,
    };
    // a bad setting (an unknown anthropic-version) fails here, at configuration, not on the first request
    this.protocol.probe({ ...this.settings, model: '' });
    this.secrets = apiKey ? [apiKey] : [];
  }

  /** A chat completion without streaming, in the instance's protocol; `onDropped` hears what the adapter dropped under `drop_params`. */
  async chatCompletion(body: ChatCompletionCreateParamsNonStreaming, signal?: AbortSignal, onDropped?: (dropped: string[]) => void): Promise<ChatCompletion> {
    const settings = this.settingsFor(body);
    const { call, dropped } = this.protocol.chat.chatRequest(body as OpenAIChatRequest, settings);
    if (dropped.length > 0) onDropped?.(dropped);
    const exchange = this.send(call, signal);
    try {
      const response = await exchange.response;
      const text = await readBody(response);
      if (response.statusCode! >= 400) throw this.httpError(response, text);
      return this.answer('chat completion', () => {
        const completion = this.protocol.chat.chatResponse(parseJson<unknown>(text), settings);
        if (!Array.isArray(completion?.choices)) throw new Error('no choices');
        return completion;
      });
    } finally {
      exchange.finish();
    }
  }

  /**
   * A streamed chat completion: resolves once the provider accepted (2xx headers) and yields OpenAI
   * chunks as the adapter translates its events. The timeout runs until the first event; ending the
   * iteration early (`return()`, or the signal) closes the connection, which cancels the request upstream.
   */
  async chatCompletionStream(body: ChatCompletionCreateParamsStreaming, signal?: AbortSignal, onDropped?: (dropped: string[]) => void): Promise<AsyncGenerator<ChatCompletionChunk>> {
    const settings = this.settingsFor(body);
    const { call, dropped } = this.protocol.chat.chatRequest(body as OpenAIChatRequest, settings);
    if (dropped.length > 0) onDropped?.(dropped);
    return this.openStream(this.send(call, signal), this.protocol.chat.chatStream(settings));
  }

  /**
   * A Messages API request (or count_tokens) to an Anthropic instance untranslated: the client's bytes,
   * this instance's key in the version's auth style; errors and timeouts as for chatCompletion.
   */
  async anthropicPassThrough(request: AnthropicPassThrough, signal?: AbortSignal): Promise<AnthropicPassThroughAnswer> {
    const exchange = this.send(this.passThroughCall(request), signal, request.body);
    try {
      const response = await exchange.response;
      const text = await readBody(response);
      if (response.statusCode! >= 400) throw this.httpError(response, text);
      return this.answer('message', () => {
        const body = parseJson<unknown>(text);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a JSON object');
        return { text, body: body as Record<string, unknown> };
      });
    } finally {
      exchange.finish();
    }
  }

  /** The streamed pass-through: resolves on Anthropic's 2xx headers and yields its events as they come, unchanged. */
  async anthropicPassThroughStream(request: AnthropicPassThrough, signal?: AbortSignal): Promise<AsyncGenerator<SseEvent>> {
    return this.openStream(this.send(this.passThroughCall({ ...request, stream: true }), signal, request.body), AS_THEY_COME);
  }

  /** Waits for a streamed answer's 2xx headers (an error status is thrown with its body), then yields its events as translated. */
  private async openStream<T>(exchange: Exchange, translator: { push(event: SseEvent): Iterable<T>; end(): Iterable<T> }): Promise<AsyncGenerator<T>> {
    let response: IncomingMessage;
    try {
      response = await exchange.response;
      if (response.statusCode! >= 400) throw this.httpError(response, await readBody(response));
    } catch (error) {
      exchange.finish();
      throw error;
    }
    return events(response, exchange, translator);
  }

  private passThroughCall(request: AnthropicPassThrough): UpstreamCall {
    if (this.spec.protocol !== 'anthropic') throw new ProviderConfigError(`${this.spec.label} instances do not speak Anthropic's Messages API`);
    const headers = anthropicHeaders({ apiKey: this.settings.apiKey, anthropicVersion: request.anthropicVersion ?? this.settings.anthropicVersion, anthropicBeta: request.anthropicBeta });
    return { method: 'POST', path: ANTHROPIC_ENDPOINTS[request.endpoint], headers, stream: request.stream === true };
  }

  /** The instance's protocol probe (it lists models): the ids the provider serves. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const exchange = this.send(this.protocol.probe({ ...this.settings, model: '' }), signal);
    try {
      const response = await exchange.response;
      const text = await readBody(response);
      if (response.statusCode! >= 400) throw this.httpError(response, text);
      return this.answer('model list', () => this.protocol.modelIds(parseJson<unknown>(text)));
    } finally {
      exchange.finish();
    }
  }

  /** Closes every pooled connection, in use or not (shutdown). */
  close(): void {
    this.agent.destroy();
  }

  /** Closes the idle pooled connections; requests in flight finish on theirs (a replaced client). */
  closeIdle(): void {
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  private settingsFor(body: { model: string; drop_params?: unknown }): AdapterSettings {
    return { ...this.settings, model: body.model, dropParams: body.drop_params === true };
  }

  /** The adapter's reading of a 2xx answer; one it cannot read is the instance failing (502), named. */
  private answer<T>(what: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new ProviderAnswerError(`${this.spec.label} answered a ${what} that cannot be read: ${safeUpstreamText((error as Error).message, 200, this.secrets)}`);
    }
  }

  /** `raw`: bytes sent as they are instead of `call.body` serialized (the pass-through). */
  private send(call: UpstreamCall, signal: AbortSignal | undefined, raw?: Buffer): Exchange {
    const payload = raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
    const headers: Record<string, string | number> = { 'User-Agent': 'ish-chat', ...call.headers, Accept: call.stream ? 'text/event-stream' : 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const query = call.query && Object.keys(call.query).length > 0 ? `?${new URLSearchParams(call.query).toString()}` : '';
    const request = this.transport.request({
      protocol: this.origin.protocol,
      hostname: this.hostname,
      port: this.origin.port,
      path: this.origin.pathname.replace(/\/$/, '') + call.path + query,
      method: call.method,
      headers,
      agent: this.agent,
    });
    return new Exchange(request, payload, this.timeoutMs, signal);
  }

  /** The upstream's error through the adapter's mapping; its message is the provider's own words, never our key. */
  private httpError(response: IncomingMessage, text: string): ProviderHttpError {
    const error = httpError(response, text, this.secrets);
    if (!this.protocol.mapError) return error;
    const mapped = this.protocol.mapError(response.statusCode!, parsedBody(text) ?? text);
    const message = safeUpstreamText(mapped.message ?? error.message, undefined, this.secrets) || error.message;
    return new ProviderHttpError(mapped.status, { ...response.headers, ...mapped.headers }, mapped.error, mapped.code?.slice(0, 100), message);
  }

  /** Embeddings in the instance's protocol: the answer in OpenAI's shape, for embeddingsAnswer to check and shape. */
  async embeddings(body: EmbeddingCreateParams, signal?: AbortSignal): Promise<unknown> {
    const settings = this.settingsFor(body as EmbeddingCreateParams & { drop_params?: unknown });
    const { call } = this.protocol.embeddingsRequest(body as unknown as Record<string, unknown>, settings);
    const exchange = this.send(call, signal);
    try {
      const response = await exchange.response;
      const text = await readBody(response, MAX_UPSTREAM_EMBEDDINGS_BYTES);
      if (response.statusCode! >= 400) throw this.httpError(response, text);
      return this.answer('embeddings answer', () => this.protocol.embeddingsResponse(parseJson<unknown>(text), settings));
    } finally {
      exchange.finish();
    }
  }
}

/**
 * One request in flight: its timeout and the caller's signal both end it by destroying the request,
 * which rejects whatever awaits it (the response, or the body being read).
 */
class Exchange {
  readonly response: Promise<IncomingMessage>;
  private incoming?: IncomingMessage;
  private timer?: NodeJS.Timeout;
  private readonly onAbort = () => this.fail(new ProviderAbortError());

  constructor(
    private readonly request: http.ClientRequest,
    payload: string | Buffer | undefined,
    timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.response = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', (response: IncomingMessage) => {
        this.incoming = response;
        resolve(response);
      });
      request.once('error', reject);
    });
    // the rejection is read by whoever awaits it; never let it surface as unhandled
    this.response.catch(() => undefined);
    if (signal?.aborted) {
      this.fail(new ProviderAbortError());
      return;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => this.fail(new ProviderTimeoutError(`the provider did not answer within ${timeoutMs} ms`)), timeoutMs);
    request.end(payload);
  }

  /** The answer is in (or a stream's first event): the timeout is over, the signal still counts. */
  answered(): void {
    clearTimeout(this.timer);
  }

  /** Done with this exchange; a response not read to its end is dropped with its connection. */
  finish(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.incoming ? !this.incoming.complete : !this.request.writableFinished) this.fail();
  }

  /** Ends the exchange; whoever awaits the response or reads its body gets `error`. */
  private fail(error?: Error): void {
    clearTimeout(this.timer);
    if (this.incoming && !this.incoming.destroyed) this.incoming.destroy(error);
    if (!this.request.destroyed) this.request.destroy(error);
  }
}

async function readBody(response: IncomingMessage, limit = MAX_UPSTREAM_RESPONSE_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error(`the provider answered more than ${limit} bytes`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

/** The events of a pass-through stream, each as it came. */
const AS_THEY_COME = { push: (event: SseEvent) => [event], end: () => [] };

async function* events<T = ChatCompletionChunk>(response: IncomingMessage, exchange: Exchange, translator: { push(event: SseEvent): Iterable<T>; end(): Iterable<T> }): AsyncGenerator<T> {
  const decoder = new SseDecoder();
  response.setEncoding('utf8');
  let received = 0;
  try {
    for await (const text of response as AsyncIterable<string>) {
      received += text.length;
      if (received > MAX_UPSTREAM_RESPONSE_BYTES) throw new Error(`the provider streamed more than ${MAX_UPSTREAM_RESPONSE_BYTES} characters`);
      for (const event of decoder.push(text)) {
        exchange.answered();
        // OpenAI's end mark; the other protocols end with the connection's last event
        if (event.data === '[DONE]') {
          yield* translator.end();
          return;
        }
        yield* translator.push(event);
      }
    }
    yield* translator.end();
  } finally {
    exchange.finish();
  }
}

function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
}

/** The upstream's error; its message is the provider's own words, cut short, never our key, headers or addresses. */
function httpError(response: IncomingMessage, text: string, secrets: readonly string[]): ProviderHttpError {
  const status = response.statusCode!;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : body;
  const fields = typeof error === 'object' && error !== null ? (error as { message?: unknown; code?: unknown }) : {};
  const raw = typeof fields.message === 'string' && fields.message ? fields.message : typeof error === 'string' && error ? error : text.trim().slice(0, 2000);
  const message = safeUpstreamText(raw, undefined, secrets) || `upstream answered ${status}`;
  const code = typeof fields.code === 'string' && fields.code ? fields.code.slice(0, 100) : undefined;
  // the parsed body stays for the adapters; only `message` and `code` are ever shown
  return new ProviderHttpError(status, response.headers, error ?? null, code, message);
}

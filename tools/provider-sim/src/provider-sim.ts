import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { handleApiRequest } from './api-routes';
import { handleControlRequest } from './control-routes';
import { GEMINI_DEFAULT_MODELS, handleGeminiRequest } from './gemini/gemini-routes';
import { ANTHROPIC_DEFAULT_MODELS, handleAnthropicRequest } from './anthropic/anthropic-routes';
import { FaultState } from './fault-state';
import { sendJson } from './http-io';
import { RequestRecorder } from './request-recorder';
import { ResponseWaiter } from './response-waiter';
import { SimContext } from './sim-context';
import { StatsRecorder } from './sim-stats';
import { ProviderSim, ProviderSimOptions, SIM_PROTOCOLS, SimFault, SimProtocol } from './types';

export const DEFAULT_MODELS = ['gpt-4o', 'gpt-4o-mini', 'sim-small', 'text-embedding-3-small'];
// Longer than typical client idle timeouts, so pooled connections are closed by the client rather than raced.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result < 0) throw new TypeError(`provider-sim: ${name} must be a number >= 0, got ${value}`);
  return result;
}

function checkedModels(models: string[] | undefined): string[] {
  const result = models ?? DEFAULT_MODELS;
  if (result.length === 0 || result.some((m) => typeof m !== 'string' || m.trim() === '')) {
    throw new TypeError('provider-sim: models must be a non-empty list of model names');
  }
  return [...result];
}

function checkedProtocol(protocol: string | undefined): SimProtocol {
  const result = protocol ?? 'openai';
  if (!(SIM_PROTOCOLS as readonly string[]).includes(result)) throw new TypeError(`provider-sim: protocol must be one of ${SIM_PROTOCOLS.join(', ')}, got ${protocol}`);
  return result as SimProtocol;
}

/** The address clients should use: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function createContext(options: ProviderSimOptions): SimContext {
  const name = options.name ?? 'provider-sim';
  if (name.trim() === '') throw new TypeError('provider-sim: name must not be empty');
  const protocol = checkedProtocol(options.protocol);
  const models = checkedModels(options.models ?? (protocol === 'gemini' ? GEMINI_DEFAULT_MODELS : protocol === 'anthropic' ? ANTHROPIC_DEFAULT_MODELS : undefined));
  const idPrefix = randomBytes(4).toString('hex');
  let sequence = 0;
  return {
    name,
    protocol,
    models,
    modelSet: new Set(models),
    latencyMs: nonNegative('latencyMs', options.latencyMs, 0),
    streamChunkDelayMs: nonNegative('streamChunkDelayMs', options.streamChunkDelayMs, 0),
    apiKey: options.apiKey || undefined,
    faults: new FaultState(),
    stats: new StatsRecorder(),
    waiter: new ResponseWaiter(),
    recorder: new RequestRecorder(),
    nextCompletionId: () => `chatcmpl-sim${idPrefix}${(++sequence).toString(36)}`,
    embeddingsBase64: options.embeddingsBase64 ?? true,
  };
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

async function handle(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req.url);
  if (path.startsWith('/_sim/')) return handleControlRequest(ctx, req, res, path);

  ctx.stats.requestStarted();
  res.once('close', () => ctx.stats.requestFinished());
  res.setHeader('x-provider-sim', ctx.name);
  if (ctx.protocol === 'gemini') return handleGeminiRequest(ctx, req, res, path);
  if (ctx.protocol === 'anthropic') return handleAnthropicRequest(ctx, req, res, path);
  const apiPath = path === '/v1' || path.startsWith('/v1/') ? path.slice(3) : path;
  return handleApiRequest(ctx, req, res, apiPath);
}

/** Starts an OpenAI-compatible provider simulator; replies are generated, never from an AI. */
export async function startProviderSim(options: ProviderSimOptions = {}): Promise<ProviderSim> {
  const ctx = createContext(options);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`provider-sim: invalid port ${port}`);

  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      // A client that went away mid-request is normal under load, not worth a log line.
      if (req.socket.destroyed) return;
      console.error(`provider-sim ${ctx.name}: request failed`, error);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: { message: 'provider-sim internal error', type: 'server_error', param: null, code: null } });
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      ctx.waiter.cancelAll();
      server.close(() => resolve());
      // Hanging and streaming requests would otherwise keep close() waiting.
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://${urlHost(host)}:${boundPort}`,
    port: boundPort,
    name: ctx.name,
    close,
    setFault: (fault: SimFault) => ctx.faults.set(fault),
    clearFault: () => ctx.faults.clear(),
    stats: () => ctx.stats.snapshot(),
    resetStats: () => ctx.stats.reset(),
    requests: (limit?: number) => ctx.recorder.list(limit),
    clearRequests: () => ctx.recorder.clear(),
  };
}

/** Where the CLI talks to and with which key, read from the environment. */
export interface CliConfig {
  gatewayUrl: string;
  apiKey: string;
}

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

/** A failure the CLI reports as one line on stderr before exiting 1. */
export class CliError extends Error {}

export function readCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const apiKey = env.ISH_API_KEY?.trim();
  if (!apiKey) {
    throw new CliError('ISH_API_KEY is not set: export an API key (it starts with ish_), e.g. ISH_API_KEY=ish_… npx ish status');
  }
  const gatewayUrl = (env.ISH_GATEWAY_URL?.trim() || DEFAULT_GATEWAY_URL).replace(/\/+$/, '');
  return { gatewayUrl, apiKey };
}

/** An error answer of the API, or a gateway that could not be reached (status 0). */
export class GatewayError extends CliError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One readable line from an API.md error body: `401 authentication_error (invalid_api_key): Invalid API key`. */
export function describeApiError(status: number, body: unknown): string {
  const prefix = status ? `${status} ` : '';
  const error = (body as { error?: { type?: unknown; code?: unknown; message?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return `${prefix}${typeof body === 'string' && body ? body.slice(0, 200) : 'error without a body'}`;
  const type = typeof error.type === 'string' ? error.type : 'error';
  const code = typeof error.code === 'string' && error.code !== type ? ` (${error.code})` : '';
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error.message);
  return `${prefix}${type}${code}: ${message}`;
}

/** GET a JSON document through the gateway; a non-2xx answer becomes a GatewayError carrying the API's message. */
export async function getJson<T>(config: CliConfig, path: string, options: { acceptStatus?: number[]; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${config.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${config.apiKey}`, accept: 'application/json' }, signal: options.signal });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new GatewayError(0, `cannot reach the gateway at ${config.gatewayUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. an nginx error page): describeApiError shows its start
  }
  if (!response.ok && !options.acceptStatus?.includes(response.status)) throw new GatewayError(response.status, describeApiError(response.status, body));
  return body as T;
}

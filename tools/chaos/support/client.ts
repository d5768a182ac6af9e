import { randomBytes } from 'node:crypto';
import { GATEWAY_URL, testSecrets, api } from '@ish/test-support';
import { Outcome, outcomeOf } from './load';

/** A tag unique to this run, for model names, messages and keys. */
export const RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

export const adminKey = (): string => testSecrets().adminApiKey;

/**
 * One request through the gateway (or `base`) with a deadline: a request that hangs comes back as
 * status 0 (`code: "timeout"`) instead of hanging the scenario.
 */
export async function call<T = unknown>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; base?: string; timeoutMs?: number; expectOk?: (body: T) => boolean } = {},
): Promise<Outcome & { body: T; headers?: Headers }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(`${options.base ?? GATEWAY_URL}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const outcome = await outcomeOf(response, options.expectOk as (body: unknown) => boolean);
    return { ...outcome, body: outcome.body as T, headers: response.headers };
  } catch (error) {
    const name = (error as Error).name;
    const code = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    return { status: 0, ok: false, code, body: undefined as T };
  }
}

/** An API key of the admin user made for a scenario: unlimited unless told, with the scopes asked. */
export async function chaosKey(name: string, scopes: string[] = ['chat'], rateLimitPerMinute = 0): Promise<{ id: string; key: string }> {
  const created = await api<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', { token: adminKey(), body: { name: `chaos ${name} ${RUN}`, scopes, rateLimitPerMinute } });
  if (created.status !== 201) throw new Error(`could not create the API key ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function revokeKey(id: string): Promise<void> {
  await api('DELETE', `/api/v1/auth/api-keys/${id}`, { token: adminKey() });
}

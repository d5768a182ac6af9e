import type { Role } from '@ish/contracts';
import { GATEWAY_URL, testSecrets } from './env';

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON call through the gateway (or to `base`), with an optional bearer credential. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${options.base ?? GATEWAY_URL}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/**
 * Registers and logs in a fresh user; returns its tokens. Registration makes a plain `user`; another
 * role is given by the admin (the bootstrap admin key) before the sign-in, so the tokens carry it.
 */
export async function signUp(tag: string, password = 'correct horse battery staple', role: Role = 'user') {
  const email = uniqueEmail(tag);
  const registered = await api<{ user: { id: string } }>('POST', '/api/v1/auth/register', { body: { email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  if (role !== 'user') {
    const promoted = await api('PATCH', `/api/v1/admin/users/${registered.body.user.id}`, { token: testSecrets().adminApiKey, body: { role } });
    if (promoted.status !== 200) throw new Error(`promotion to ${role} failed: ${promoted.status} ${JSON.stringify(promoted.body)}`);
  }
  const login = await api<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return { email, password, userId: registered.body.user.id, ...login.body };
}

/** Creates an API key for the holder of `token` and returns the key itself. */
export async function createApiKey(token: string, name: string, scopes: readonly string[] = ['chat']): Promise<string> {
  const created = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token, body: { name, scopes } });
  if (created.status !== 201) throw new Error(`api key ${name} not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.key;
}

/** The API key of a fresh user, for a suite that needs only a caller. */
export async function newUserKey(tag: string, scopes: readonly string[] = ['chat']): Promise<string> {
  const user = await signUp(tag);
  return createApiKey(user.accessToken, `${tag} tests`, scopes);
}

/** A fresh `operator`: instances and Android besides chat and webhooks. */
export function signUpOperator(tag: string, password?: string) {
  return signUp(tag, password, 'operator');
}

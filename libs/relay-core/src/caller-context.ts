import type { Principal } from '@ish/contracts';
import { budgetsOf } from './budget-enforcer';
import type { CallerContext } from './chat-executor';

/**
 * Who an AI call is for, as the executor counts and logs it: the user, the key (its tokensPerMinute),
 * their budgets, the client's signal, and the route and body the request log may keep.
 */
export function callerOf(principal: Principal, signal?: AbortSignal, request?: { route: string; body: unknown }): CallerContext {
  const key = principal.kind === 'api_key';
  return { userId: principal.userId, apiKeyId: key ? principal.credentialId : null, tokensPerMinute: key ? (principal.tokensPerMinute ?? null) : null, ...budgetsOf(principal), signal, ...request };
}

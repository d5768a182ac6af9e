import type { Principal } from '@ish/contracts';
import type { CallerContext } from './chat-executor';

/** Who an AI call is for, as the executor counts it: the user, the key (and its tokensPerMinute), the client's signal. */
export function callerOf(principal: Principal, signal?: AbortSignal): CallerContext {
  const key = principal.kind === 'api_key';
  return { userId: principal.userId, apiKeyId: key ? principal.credentialId : null, tokensPerMinute: key ? (principal.tokensPerMinute ?? null) : null, signal };
}

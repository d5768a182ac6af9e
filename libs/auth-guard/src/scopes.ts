import { ROLE_SCOPES } from '@ish/contracts';
import type { Principal, Role, Scope } from '@ish/contracts';

/** true when `granted` covers any of `required` (`admin` covers everything; no requirement: any credential) */
export function hasScope(granted: readonly Scope[], required: readonly Scope[]): boolean {
  if (required.length === 0 || granted.includes('admin')) return true;
  return required.some((scope) => granted.includes(scope));
}

/** true when every scope of `requested` is covered by `granted` (a key can never exceed its creator) */
export function coversAll(granted: readonly Scope[], requested: readonly Scope[]): boolean {
  return granted.includes('admin') || requested.every((scope) => granted.includes(scope));
}

/**
 * What a credential may do right now: its own scopes, cut down to what its owner's current role
 * allows (a demoted user's keys lose the rest at once). An admin's `admin` key keeps `admin`.
 */
export function capScopes(scopes: readonly Scope[], role: Role): Scope[] {
  const allowed = ROLE_SCOPES[role] ?? [];
  return scopes.filter((scope) => coversAll(allowed, [scope]));
}

/** Admin powers come from the credential's scope, never from the role alone: an admin's chat-only key is no admin. */
export function actsAsAdmin(principal: Pick<Principal, 'scopes'>): boolean {
  return principal.scopes.includes('admin');
}

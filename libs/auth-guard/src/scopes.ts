import type { Scope } from '@ish/contracts';

/** true when `granted` covers any of `required` (`admin` covers everything; no requirement: any credential) */
export function hasScope(granted: readonly Scope[], required: readonly Scope[]): boolean {
  if (required.length === 0 || granted.includes('admin')) return true;
  return required.some((scope) => granted.includes(scope));
}

/** true when every scope of `requested` is covered by `granted` (a key can never exceed its creator) */
export function coversAll(granted: readonly Scope[], requested: readonly Scope[]): boolean {
  return granted.includes('admin') || requested.every((scope) => granted.includes(scope));
}

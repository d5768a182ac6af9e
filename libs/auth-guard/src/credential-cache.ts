import type { Principal } from '@ish/contracts';

interface Entry {
  principal: Principal | null;
  expiresAt: number;
  keyExpiresAt: number | null;
}

/**
 * Verified API keys by hash, so a request costs no round trip to the auth service. Entries live
 * `ttlMs`; revocation events drop them at once. Unknown keys are remembered briefly (`negativeTtlMs`)
 * in a map of their own, so a flood of bad keys turns into neither a flood of lookups nor the
 * eviction of the keys that work.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly negativeTtlMs = 2_000,
    private readonly maxEntries = 50_000,
    private readonly maxMisses = 20_000,
  ) {}

  get(keyHash: string, now = Date.now()): Principal | null | undefined {
    const entry = this.entry(keyHash, now);
    return entry === undefined ? undefined : (entry?.principal ?? null);
  }

  /** As `get`, with the key's own expiry (epoch ms, null: never). */
  entry(keyHash: string, now = Date.now()): { principal: Principal; keyExpiresAt: number | null } | null | undefined {
    const missUntil = this.misses.get(keyHash);
    if (missUntil !== undefined) {
      if (missUntil > now) return null;
      this.misses.delete(keyHash);
    }
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now || (entry.keyExpiresAt !== null && entry.keyExpiresAt <= now)) {
      this.entries.delete(keyHash);
      return entry.keyExpiresAt !== null && entry.keyExpiresAt <= now ? null : undefined;
    }
    return entry.principal && { principal: entry.principal, keyExpiresAt: entry.keyExpiresAt };
  }

  set(keyHash: string, principal: Principal | null, keyExpiresAt: number | null, now = Date.now()): void {
    if (!principal) {
      if (this.misses.size >= this.maxMisses) this.misses.delete(this.misses.keys().next().value as string);
      this.misses.set(keyHash, now + this.negativeTtlMs);
      return;
    }
    this.misses.delete(keyHash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, { principal, expiresAt: now + this.ttlMs, keyExpiresAt });
  }

  /** drops every entry of this key id or user id */
  revoke(kind: 'api_key' | 'user' | 'session', id: string): void {
    if (kind === 'session') return;
    for (const [hash, entry] of this.entries) {
      const p = entry.principal;
      if (p && ((kind === 'api_key' && p.credentialId === id) || (kind === 'user' && p.userId === id))) this.entries.delete(hash);
    }
  }

  clear(): void {
    this.entries.clear();
    this.misses.clear();
  }
}

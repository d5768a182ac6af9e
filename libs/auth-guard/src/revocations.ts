import type { CredentialRevoked } from '@ish/contracts';

/**
 * What was revoked while tokens issued before it may still be in circulation: sessions (logout,
 * refresh reuse) and users (disabled, role changed). Held in process for the hot path; the auth
 * service also writes each entry to Redis so a process that starts (or reconnects) late catches up.
 */
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private prunedAt: number;

  /**
   * `keepMs`: how long an entry can matter (the access-token lifetime); older ones are dropped as
   * new ones arrive, at most once a minute.
   */
  constructor(
    private readonly keepMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {
    this.prunedAt = now();
  }

  apply(event: Pick<CredentialRevoked, 'kind' | 'id' | 'notBefore'>): void {
    if (event.kind === 'session') this.sessions.set(event.id, Math.max(event.notBefore, this.sessions.get(event.id) ?? 0));
    if (event.kind === 'user') this.users.set(event.id, Math.max(event.notBefore, this.users.get(event.id) ?? 0));
    const now = this.now();
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      this.prune(now - this.keepMs);
    }
  }

  /** true when a token of this user and session issued at `issuedAt` (epoch ms) is no longer valid */
  isRevoked(userId: string, sessionId: string, issuedAt: number): boolean {
    const session = this.sessions.get(sessionId);
    const user = this.users.get(userId);
    return (session !== undefined && issuedAt <= session) || (user !== undefined && issuedAt <= user);
  }

  /** drops entries older than any token still alive (`oldestValidIssuedAt`, epoch ms) */
  prune(oldestValidIssuedAt: number): void {
    for (const map of [this.sessions, this.users]) {
      for (const [id, notBefore] of map) if (notBefore < oldestValidIssuedAt) map.delete(id);
    }
  }
}

const PRUNE_EVERY_MS = 60_000;

import type { CredentialRevoked } from '@ish/contracts';

/**
 * What was revoked while tokens issued before it may still be in circulation: sessions (logout,
 * refresh reuse) and users (disabled, role changed). Held in process for the hot path; the auth
 * service also writes each entry to Redis so a process that starts (or reconnects) late catches up.
 */
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, number>();

  apply(event: Pick<CredentialRevoked, 'kind' | 'id' | 'notBefore'>): void {
    if (event.kind === 'session') this.sessions.set(event.id, Math.max(event.notBefore, this.sessions.get(event.id) ?? 0));
    if (event.kind === 'user') this.users.set(event.id, Math.max(event.notBefore, this.users.get(event.id) ?? 0));
  }

  /** true when a token of this user and session issued at `issuedAt` (epoch s) is no longer valid */
  isRevoked(userId: string, sessionId: string, issuedAt: number): boolean {
    const session = this.sessions.get(sessionId);
    const user = this.users.get(userId);
    return (session !== undefined && issuedAt <= session) || (user !== undefined && issuedAt <= user);
  }

  /** drops entries older than any token still alive */
  prune(oldestValidIssuedAt: number): void {
    for (const map of [this.sessions, this.users]) {
      for (const [id, notBefore] of map) if (notBefore < oldestValidIssuedAt) map.delete(id);
    }
  }
}

export const REVOCATION_KEY_PREFIX = 'ish:revoked:';

export function revocationKey(event: Pick<CredentialRevoked, 'kind' | 'id'>): string {
  return `${REVOCATION_KEY_PREFIX}${event.kind}:${event.id}`;
}

import jwt from 'jsonwebtoken';
import type { Role, Scope } from '@ish/contracts';

export interface SigningKey {
  kid: string;
  secret: string;
}

/** Claims of an access token. `sid` is the session (refresh family) it belongs to. */
export interface AccessClaims {
  sub: string;
  email: string;
  role: Role;
  scopes: Scope[];
  sid: string;
  iat: number;
  /**
   * issued at, epoch ms: revocations (a role change, say) compare with it, so a token issued in the
   * same second but after the change stays valid (`iat` counts whole seconds)
   */
  iat_ms?: number;
  exp: number;
}

const ALGORITHM = 'HS256';
const ISSUER = 'ish-chat';

/** `kid:secret[,kid:secret…]`: the first key signs, all keys verify (rotation without logging everyone out). */
export function parseSigningKeys(value: string): SigningKey[] {
  return value.split(',').map((entry) => {
    const at = entry.indexOf(':');
    return { kid: entry.slice(0, at), secret: entry.slice(at + 1) };
  });
}

export function signAccessToken(claims: Omit<AccessClaims, 'iat' | 'iat_ms' | 'exp'>, keys: SigningKey[], ttlSeconds: number, now = Date.now()): string {
  const [key] = keys;
  return jwt.sign({ ...claims, iat: Math.floor(now / 1000), iat_ms: now }, key.secret, { algorithm: ALGORITHM, keyid: key.kid, expiresIn: ttlSeconds, issuer: ISSUER });
}

/**
 * When the token was issued, epoch ms. One without `iat_ms` counts from the start of its second: a
 * revocation within that second refuses it (the safe side).
 */
export function issuedAtMs(claims: Pick<AccessClaims, 'iat' | 'iat_ms'>): number {
  return typeof claims.iat_ms === 'number' && Number.isFinite(claims.iat_ms) ? claims.iat_ms : claims.iat * 1000;
}

/** Verifies with the key named by `kid`, accepting only HS256 with an expiry; null for anything invalid or expired. */
export function verifyAccessToken(token: string, keys: SigningKey[]): AccessClaims | null {
  try {
    const decoded = jwt.decode(token, { complete: true });
    const key = keys.find((k) => k.kid === decoded?.header.kid);
    if (!key) return null;
    const claims = jwt.verify(token, key.secret, { algorithms: [ALGORITHM], issuer: ISSUER }) as AccessClaims;
    // jsonwebtoken accepts a token without `exp` as one that never expires; ours always carry one
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return null;
    return claims;
  } catch {
    return null;
  }
}

import { hash, verify } from '@node-rs/argon2';
import { passwordVerifications } from './password.metrics';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// verified against when the email is unknown, so a wrong email costs as much as a wrong password
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  const target = passwordHash ?? (await (dummyHash ??= hashPassword('not-a-real-password-0000')));
  passwordVerifications.inc();
  try {
    const ok = await verify(target, password);
    return ok && !!passwordHash;
  } catch {
    return false;
  }
}

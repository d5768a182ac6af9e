import { Counter } from 'prom-client';
import { metricsRegistry } from '@ish/platform';

/** Every argon2 verification: what a login costs, and how many guesses reached a password check. */
export const passwordVerifications = new Counter({
  name: 'auth_password_verifications_total',
  help: 'Password hashes verified (argon2id), sign-ins with an unknown email included',
  registers: [metricsRegistry],
});

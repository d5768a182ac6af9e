import { defineCounter } from '@ish/platform';

/** Every argon2 verification: what a login costs, and how many guesses reached a password check. */
export const passwordVerifications = defineCounter({
  name: 'auth_password_verifications_total',
  help: 'Password hashes verified (argon2id), sign-ins with an unknown email included',
});

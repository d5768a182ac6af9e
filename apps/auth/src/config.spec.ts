import { loadConfig } from '@ish/platform';
import { AuthConfig } from './config';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
  JWT_KEYS: `k1:${'s'.repeat(32)}`,
};

describe('AuthConfig', () => {
  it('keeps registration closed unless it is turned on', () => {
    expect(loadConfig(AuthConfig, required).AUTH_ALLOW_REGISTRATION).toBe(false);
    expect(loadConfig(AuthConfig, { ...required, AUTH_ALLOW_REGISTRATION: 'true' }).AUTH_ALLOW_REGISTRATION).toBe(true);
  });

  it('stops a guesser per address long before the account locks', () => {
    const config = loadConfig(AuthConfig, required);
    expect(config.LOGIN_MAX_FAILURES).toBe(10);
    expect(config.LOGIN_ACCOUNT_MAX_FAILURES).toBeGreaterThan(config.LOGIN_MAX_FAILURES);
    expect(config.AUTH_RATE_LIMIT_PER_MINUTE).toBe(120);
  });
});

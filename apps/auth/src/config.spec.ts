import { AuthGuardConfig } from '@ish/auth-guard';
import { loadConfigParts, PlatformConfig } from '@ish/platform';
import { AuthConfig, CONFIG_PARTS } from './config';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
  JWT_KEYS: `k1:${'s'.repeat(32)}`,
  INSTANCE_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('AuthConfig', () => {
  it('keeps registration closed unless it is turned on', () => {
    expect(loadConfigParts(CONFIG_PARTS, required).get(AuthConfig).AUTH_ALLOW_REGISTRATION).toBe(false);
    expect(loadConfigParts(CONFIG_PARTS, { ...required, AUTH_ALLOW_REGISTRATION: 'true' }).get(AuthConfig).AUTH_ALLOW_REGISTRATION).toBe(true);
  });

  it('stops a guesser per address long before the account locks', () => {
    const config = loadConfigParts(CONFIG_PARTS, required);
    expect(config.get(AuthConfig).LOGIN_MAX_FAILURES).toBe(10);
    expect(config.get(AuthConfig).LOGIN_ACCOUNT_MAX_FAILURES).toBeGreaterThan(config.get(AuthConfig).LOGIN_MAX_FAILURES);
    expect(config.get(AuthGuardConfig).AUTH_RATE_LIMIT_PER_MINUTE).toBe(120);
  });

  it('takes small bodies unless HTTP_BODY_LIMIT says otherwise', () => {
    expect(loadConfigParts(CONFIG_PARTS, required).get(PlatformConfig).HTTP_BODY_LIMIT).toBe('64kb');
    expect(loadConfigParts(CONFIG_PARTS, { ...required, HTTP_BODY_LIMIT: '2mb' }).get(PlatformConfig).HTTP_BODY_LIMIT).toBe('2mb');
  });
});

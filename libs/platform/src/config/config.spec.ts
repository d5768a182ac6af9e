import { IsInt, Min } from 'class-validator';
import { BaseConfig, ConfigError, envBoolean, loadConfig } from './config';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
  JWT_KEYS: `k1:${'s'.repeat(32)}`,
};

class WorkerLikeConfig extends BaseConfig {
  @IsInt() @Min(1) WORKER_CONCURRENCY = 8;
  @envBoolean() FEATURE_ON = true;
}

describe('loadConfig', () => {
  it('applies defaults and converts numeric variables', () => {
    const config = loadConfig(WorkerLikeConfig, { ...required, PORT: '9000', WORKER_CONCURRENCY: '3' });
    expect(config.PORT).toBe(9000);
    expect(config.WORKER_CONCURRENCY).toBe(3);
    expect(config.RABBITMQ_PREFETCH).toBe(20);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names every invalid or missing variable', () => {
    let message = '';
    try {
      loadConfig(WorkerLikeConfig, { REDIS_URL: 'http://nope', WORKER_CONCURRENCY: 'many', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'RABBITMQ_URL', 'JWT_KEYS', 'WORKER_CONCURRENCY', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
  });

  it('trusts X-Forwarded-For from loopback only unless told otherwise, and refuses a bad proxy list', () => {
    expect(loadConfig(WorkerLikeConfig, { ...required }).TRUSTED_PROXIES).toBe('loopback');
    expect(loadConfig(WorkerLikeConfig, { ...required, TRUSTED_PROXIES: 'loopback,10.0.0.0/8' }).TRUSTED_PROXIES).toBe('loopback,10.0.0.0/8');
    expect(() => loadConfig(WorkerLikeConfig, { ...required, TRUSTED_PROXIES: 'everyone' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('reads booleans', () => {
    expect(loadConfig(WorkerLikeConfig, { ...required }).FEATURE_ON).toBe(true);
    expect(loadConfig(WorkerLikeConfig, { ...required, FEATURE_ON: 'false' }).FEATURE_ON).toBe(false);
    expect(loadConfig(WorkerLikeConfig, { ...required, FEATURE_ON: 'YES' }).FEATURE_ON).toBe(true);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig(WorkerLikeConfig, { ...required, LOG_LEVEL: '' });
    expect(config.LOG_LEVEL).toBe('info');
  });
});

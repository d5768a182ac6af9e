import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, Matches, Min } from 'class-validator';
import { ConfigError, ConfigPart, envBoolean, LoadedConfig, loadConfig, loadConfigParts, withDefaults } from './config';
import { ConfigModule } from './config.module';
import { PlatformConfig } from './platform.config';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
};

@ConfigPart()
class QueueLikeConfig {
  @IsInt() @Min(1) WORKER_CONCURRENCY = 8;
  @envBoolean() FEATURE_ON = true;
}

@ConfigPart()
class SecretLikeConfig {
  @Matches(/^[a-z]{8,}$/, { message: 'SOME_SECRET must be at least 8 lowercase letters' })
  SOME_SECRET: string;
}

const PARTS = [PlatformConfig, QueueLikeConfig, SecretLikeConfig];

function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('loadConfigParts', () => {
  it('reads each part into its own class, with defaults and numbers converted', () => {
    const config = loadConfigParts(PARTS, { ...required, PORT: '9000', WORKER_CONCURRENCY: '3', SOME_SECRET: 'abcdefgh' });
    expect(config.get(PlatformConfig)).toBeInstanceOf(PlatformConfig);
    expect(config.get(PlatformConfig)).toMatchObject({ PORT: 9000, RABBITMQ_PREFETCH: 20, LOG_LEVEL: 'info', REDIS_URL: required.REDIS_URL });
    expect(config.get(QueueLikeConfig)).toMatchObject({ WORKER_CONCURRENCY: 3, FEATURE_ON: true });
    expect(config.get(SecretLikeConfig).SOME_SECRET).toBe('abcdefgh');
  });

  it('names every invalid or missing variable of every part in one error', () => {
    const message = configErrorOf(() => loadConfigParts(PARTS, { REDIS_URL: 'http://nope', WORKER_CONCURRENCY: 'many', LOG_LEVEL: 'loud' }));
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'RABBITMQ_URL', 'LOG_LEVEL', 'WORKER_CONCURRENCY', 'SOME_SECRET']) expect(message).toContain(`  ${name}: `);
    expect(message).toContain('SOME_SECRET must be at least 8 lowercase letters');
  });

  it('requires only the variables of the parts it is given', () => {
    expect(loadConfigParts([QueueLikeConfig], {}).get(QueueLikeConfig).WORKER_CONCURRENCY).toBe(8);
    expect(configErrorOf(() => loadConfigParts([QueueLikeConfig, SecretLikeConfig], {}))).not.toContain('DATABASE_URL');
    // a part not listed is no part of the process, whatever its variables say
    expect(() => loadConfigParts([QueueLikeConfig], { SOME_SECRET: 'X' }).get(SecretLikeConfig)).toThrow(/SecretLikeConfig is not one of this process's config parts/);
  });

  it('takes a process default for a part, which the environment still overrides', () => {
    const parts = [withDefaults(PlatformConfig, { HTTP_BODY_LIMIT: '64kb' })];
    expect(loadConfigParts(parts, required).get(PlatformConfig).HTTP_BODY_LIMIT).toBe('64kb');
    expect(loadConfigParts(parts, { ...required, HTTP_BODY_LIMIT: '2mb' }).get(PlatformConfig).HTTP_BODY_LIMIT).toBe('2mb');
    expect(loadConfigParts([PlatformConfig], required).get(PlatformConfig).HTTP_BODY_LIMIT).toBe('1mb');
  });

  it('refuses a variable declared by two parts, and a class that is no part', () => {
    @ConfigPart()
    class SecondOwner {
      @IsInt() WORKER_CONCURRENCY = 4;
    }
    expect(() => loadConfigParts([QueueLikeConfig, SecondOwner], {})).toThrow('WORKER_CONCURRENCY is declared by both QueueLikeConfig and SecondOwner');
    class Unmarked {
      @IsInt() SOMETHING = 1;
    }
    expect(() => loadConfigParts([Unmarked], {})).toThrow(/Unmarked is not a config part/);
  });

  it('trusts X-Forwarded-For from loopback only unless told otherwise, and refuses a bad proxy list', () => {
    expect(loadConfig(PlatformConfig, required).TRUSTED_PROXIES).toBe('loopback');
    expect(loadConfig(PlatformConfig, { ...required, TRUSTED_PROXIES: 'loopback,10.0.0.0/8' }).TRUSTED_PROXIES).toBe('loopback,10.0.0.0/8');
    expect(() => loadConfig(PlatformConfig, { ...required, TRUSTED_PROXIES: 'everyone' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('reads booleans', () => {
    expect(loadConfig(QueueLikeConfig, {}).FEATURE_ON).toBe(true);
    expect(loadConfig(QueueLikeConfig, { FEATURE_ON: 'false' }).FEATURE_ON).toBe(false);
    expect(loadConfig(QueueLikeConfig, { FEATURE_ON: 'YES' }).FEATURE_ON).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig(PlatformConfig, { ...required, LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
    expect(configErrorOf(() => loadConfig(SecretLikeConfig, { SOME_SECRET: '' }))).toContain('SOME_SECRET');
  });
});

describe('ConfigModule', () => {
  it('makes each loaded part injectable by its class, the same instance everywhere', async () => {
    const loaded = loadConfigParts(PARTS, { ...required, SOME_SECRET: 'abcdefgh' });
    @Injectable()
    class Reader {
      constructor(
        readonly platform: PlatformConfig,
        readonly queue: QueueLikeConfig,
        @Inject(LoadedConfig) readonly all: LoadedConfig,
      ) {}
    }
    @Module({ providers: [Reader] })
    class FeatureModule {}
    const app = await NestFactory.createApplicationContext({ module: FeatureModule, imports: [ConfigModule.forLoaded(loaded)] }, { logger: false });
    try {
      const reader = app.get(Reader);
      expect(reader.platform).toBe(loaded.get(PlatformConfig));
      expect(reader.queue).toBe(loaded.get(QueueLikeConfig));
      expect(reader.all).toBe(loaded);
    } finally {
      await app.close();
    }
  });
});

import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import Adb from '@devicefarmer/adbkit';
import { AdbExecutionEntity } from '@ish/database';
import { RedisClient } from '@ish/platform';
import { AdbConfig } from './adb-config';
import { AdbExecutor } from './adb-executor';
import { AdbServer } from './adb-server';
import { CommandPolicy, parseCommandList } from './command-policy';
import { DeviceLock } from './device-lock';
import { ExecutionAudit } from './execution-audit';
import { redisLockStore } from './lock-store';

/**
 * Device access for a process: the adbkit client of the adb server, the per-device lock in Redis,
 * the audit trail and the executor. The bridge and the workers import the same module and list AdbConfig
 * among their config parts.
 */
@Module({})
export class AdbModule {
  static forRoot(): DynamicModule {
    return {
      module: AdbModule,
      global: true,
      imports: [TypeOrmModule.forFeature([AdbExecutionEntity])],
      providers: [
        { provide: AdbServer, inject: [AdbConfig], useFactory: createAdbClient },
        { provide: DeviceLock, inject: [RedisClient], useFactory: (redis: RedisClient) => new DeviceLock(redisLockStore(redis)) },
        ExecutionAudit,
        { provide: AdbExecutor, inject: [AdbServer, DeviceLock, ExecutionAudit, AdbConfig], useFactory: createExecutor },
      ],
      exports: [AdbServer, DeviceLock, ExecutionAudit, AdbExecutor],
    };
  }
}

export function createAdbClient(config: AdbConfig): AdbServer {
  const client = Adb.createClient({ host: config.ADB_HOST, port: config.ADB_PORT });
  // adbkit re-emits connection errors on the client; unheard, they would crash the process
  const logger = new Logger('Adb');
  client.on('error', (error: Error) => logger.warn(`adb: ${error.message}`));
  return client;
}

export function createExecutor(client: AdbServer, lock: DeviceLock, audit: ExecutionAudit, config: AdbConfig): AdbExecutor {
  const policy = new CommandPolicy({ allowedCommands: parseCommandList(config.ANDROID_ALLOWED_COMMANDS), maxArgs: config.ANDROID_MAX_ARGS });
  return new AdbExecutor(client, lock, policy, audit, {
    maxOutputBytes: config.ANDROID_MAX_OUTPUT_BYTES,
    maxScreenshotBytes: config.ANDROID_MAX_SCREENSHOT_BYTES,
    defaultTimeoutMs: config.ANDROID_DEFAULT_TIMEOUT_MS,
    lockWaitMs: config.ANDROID_LOCK_WAIT_MS,
  });
}

import { Public } from '../auth/decorators';
import { Controller, Get, HttpException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { ErrorDetail } from '@ish/contracts';
import { ApiError } from '../errors/api-error';
import { AmqpConnection } from '../rabbitmq/amqp-connection';
import { AmqpServer } from '../rabbitmq/amqp-server';
import { RedisClient } from '../redis/redis';
import { ReadinessRegistry, withTimeout } from './readiness';

const CHECK_TIMEOUT_MS = 1500;

@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisClient,
    private readonly amqp: AmqpConnection,
    private readonly amqpServer: AmqpServer,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency answers for real right now. */
  @Get('ready')
  async ready(): Promise<unknown> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.redisCheck(),
        () => this.rabbitmqCheck(),
        ...this.readiness.checks,
      ]);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const report = error.getResponse() as { error?: Record<string, { status: string; message?: string }> };
      const details: ErrorDetail[] = Object.entries(report?.error ?? {}).map(([check, result]) => ({
        field: check,
        message: result.message ?? result.status,
      }));
      throw ApiError.unavailable(`not ready: ${details.map((d) => d.field).join(', ') || 'unknown'}`, 'not_ready', details);
    }
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    try {
      await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS, 'redis');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  private async rabbitmqCheck() {
    const indicator = this.indicators.check('rabbitmq');
    if (!this.amqp.isConnected()) return indicator.down({ message: 'not connected' });
    if (this.amqpServer.getHandlers().size > 0 && !this.amqpServer.isConsuming()) return indicator.down({ message: 'consumers not running' });
    return indicator.up();
  }
}

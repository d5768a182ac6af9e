import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import amqp, { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DEAD_LETTER_QUEUE, EXCHANGES } from '@ish/contracts';

/** A name for this process, unique across replicas. */
export const PROCESS_ID = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * The one AMQP connection of a process. amqp-connection-manager reconnects on its own (every second,
 * with heartbeats to notice a dead broker) and re-runs every channel's setup, so consumers and
 * topology come back after a broker restart without the app restarting.
 */
@Injectable()
export class AmqpConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('AmqpConnection');
  readonly manager: AmqpConnectionManager;
  /** names this connection's broadcast queues: unique even for two connections in one process */
  readonly id = `${PROCESS_ID}-${randomBytes(2).toString('hex')}`;

  constructor(url: string) {
    this.manager = amqp.connect([url], {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { clientProperties: { connection_name: this.id } },
    });
    this.manager.on('connect', () => this.logger.log('connected to RabbitMQ'));
    this.manager.on('disconnect', ({ err }) => this.logger.warn(`disconnected from RabbitMQ: ${err?.message ?? 'closed'}`));
    this.manager.on('connectFailed', ({ err }) => this.logger.warn(`cannot reach RabbitMQ: ${err?.message}`));
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.manager.close();
  }
}

/** Exchanges and the dead-letter queue every channel relies on; asserting is idempotent. */
export async function assertBaseTopology(channel: ConfirmChannel): Promise<void> {
  await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  await channel.assertExchange(EXCHANGES.deadLetter, 'fanout', { durable: true });
  await channel.assertQueue(DEAD_LETTER_QUEUE, { durable: true });
  await channel.bindQueue(DEAD_LETTER_QUEUE, EXCHANGES.deadLetter, '');
}

export function rpcQueueName(pattern: string): string {
  return `rpc.${pattern}`;
}

/** A shared queue per service, or with `broadcastId` an own queue per connection. */
export function eventQueueName(service: string, pattern: string, broadcastId?: string): string {
  return broadcastId ? `${service}.${pattern}.${broadcastId}` : `${service}.${pattern}`;
}

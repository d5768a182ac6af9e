import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import { connect, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { EXCHANGES } from '@ish/contracts';
import { RABBITMQ_URL } from '@ish/test-support';

export interface TappedEvent {
  name: string;
  messageId: string | undefined;
  body: Record<string, unknown>;
  /** when the tap received it (epoch ms) */
  at: number;
}

/**
 * Counts domain events the way a durable consumer sees them: a durable quorum queue of its own,
 * bound to the events exchange, acknowledged after recording. It lives through broker restarts
 * (the queue and its persistent messages survive, the connection comes back by itself), so what it
 * misses was really lost. `close()` deletes the queue.
 */
export class DurableEventTap {
  readonly events: TappedEvent[] = [];
  private readonly queue = `chaos.tap.${randomBytes(4).toString('hex')}`;
  private readonly manager: AmqpConnectionManager;
  private readonly channel: ChannelWrapper;

  private constructor(names: readonly string[]) {
    this.manager = amqp.connect([RABBITMQ_URL], { heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 0.5 });
    this.manager.on('connectFailed', () => undefined);
    this.channel = this.manager.createChannel({
      json: false,
      setup: async (channel: ConfirmChannel) => {
        await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
        await channel.assertQueue(this.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
        for (const name of names) await channel.bindQueue(this.queue, EXCHANGES.events, name);
        await channel.consume(this.queue, (message) => message && this.record(channel, message));
      },
    });
    this.channel.on('error', () => undefined);
  }

  static async open(names: readonly string[]): Promise<DurableEventTap> {
    const tap = new DurableEventTap(names);
    await tap.channel.waitForConnect();
    return tap;
  }

  /**
   * The distinct events (by message id: a redelivery to this tap is not a second event) named `name`,
   * grouped by the body's `key` (say `jobId`).
   */
  distinctBy(name: string, key: string): Map<string, TappedEvent[]> {
    const seen = new Set<string>();
    const groups = new Map<string, TappedEvent[]>();
    for (const event of this.events) {
      if (event.name !== name) continue;
      if (event.messageId) {
        if (seen.has(event.messageId)) continue;
        seen.add(event.messageId);
      }
      const value = String(event.body[key]);
      groups.set(value, [...(groups.get(value) ?? []), event]);
    }
    return groups;
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.manager.close().catch(() => undefined);
    const connection = await connect(RABBITMQ_URL);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(this.queue);
    } finally {
      await connection.close();
    }
  }

  private record(channel: ConfirmChannel, message: ConsumeMessage): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(message.content.toString('utf8')) as Record<string, unknown>;
    } catch {
      /* counted with an empty body */
    }
    this.events.push({ name: message.fields.routingKey, messageId: message.properties.messageId as string | undefined, body, at: Date.now() });
    try {
      channel.ack(message);
    } catch {
      /* the channel closed meanwhile: the broker redelivers, and the duplicate shows in the figures */
    }
  }
}

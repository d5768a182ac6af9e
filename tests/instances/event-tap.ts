import amqp, { Channel, ChannelModel } from 'amqplib';
import { EXCHANGES } from '@ish/contracts';
import { RABBITMQ_URL, waitFor } from '@ish/test-support';

export interface TappedEvent<T = unknown> {
  name: string;
  body: T;
  at: number;
}

/** Listens to domain events the way a service does: a queue of its own bound to the events exchange. */
export class EventTap {
  readonly events: TappedEvent[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
  ) {}

  static async open(names: string[]): Promise<EventTap> {
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    const tap = new EventTap(connection, channel);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const name of names) await channel.bindQueue(queue, EXCHANGES.events, name);
    await channel.consume(queue, (message) => message && tap.events.push({ name: message.fields.routingKey, body: JSON.parse(message.content.toString('utf8')), at: Date.now() }), { noAck: true });
    return tap;
  }

  of<T>(name: string, match: (body: T) => boolean = () => true, since = 0): TappedEvent<T>[] {
    return (this.events as TappedEvent<T>[]).filter((event) => event.name === name && event.at >= since && match(event.body));
  }

  next<T>(name: string, match: (body: T) => boolean, since: number, timeoutMs = 5000): Promise<TappedEvent<T>> {
    return waitFor(`a ${name} event`, async () => this.of<T>(name, match, since)[0], timeoutMs, 50);
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

import { Logger } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { lastValueFrom } from 'rxjs';
import { AMQP_HEADERS, EXCHANGES } from '@ish/contracts';
import { runWithRequestId } from '../context/request-context';
import { isDependencyUnavailable } from '../errors/unavailable';
import { AmqpConnection, assertBaseTopology, eventQueueName, rpcQueueName } from './amqp-connection';
import { decode, encode, isRemoteErrorBody, RemoteErrorBody, RpcReply } from './amqp-message';

export interface AmqpServerOptions {
  /** the service name: it prefixes the durable queues of event handlers */
  service: string;
  prefetch: number;
  /** deliveries of an event before it goes to the dead-letter exchange */
  deliveryLimit: number;
}

/** Extras of `@EventPattern(name, { broadcast: true })`: every process gets its own copy. */
export interface EventHandlerExtras {
  broadcast?: boolean;
}

/** What a handler sees as its context (`@Ctx()`). */
export class AmqpContext extends BaseRpcContext<[ConsumeMessage, string]> {
  getMessage(): ConsumeMessage {
    return this.args[0];
  }
  getPattern(): string {
    return this.args[1];
  }
}

/**
 * Serves `@MessagePattern` and `@EventPattern` handlers over RabbitMQ with the guarantees the stock
 * RMQ transport does not give by default: durable queues, manual acknowledgement only after the
 * handler succeeded, bounded prefetch, dead-lettering of poison and exhausted messages, and
 * consumers that come back by themselves after a broker restart.
 *
 * - request/reply: queue `rpc.<pattern>` shared by the replicas of the owning service; the reply goes
 *   to the caller's direct reply-to; the request is acked once answered (errors are answered too).
 * - events, default: quorum queue `<service>.<event>`, one per service, shared by its replicas; a
 *   failing handler is redelivered up to the delivery limit, then dead-lettered; an invalid message
 *   is dead-lettered at once.
 * - events with `{ broadcast: true }`: an exclusive queue per process (cache invalidation, routing
 *   tables) so every replica sees every event.
 */
export class AmqpServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('AmqpServer');
  private channel?: ChannelWrapper;
  private readonly consumerTags = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: AmqpServerOptions,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.channel = this.connection.manager.createChannel({
      json: false,
      setup: (channel: ConfirmChannel) => this.setup(channel),
    });
    this.channel
      .waitForConnect()
      .then(() => callback())
      .catch((error: unknown) => callback(error));
  }

  /** Stops taking messages, lets in-flight handlers finish, then closes the channel. */
  async close(): Promise<void> {
    this.closing = true;
    const channel = this.channel;
    if (!channel) return;
    this.channel = undefined;
    await channel.cancelAll().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await channel.close().catch(() => undefined);
  }

  isConsuming(): boolean {
    return !!this.channel && this.connection.isConnected() && this.consumerTags.size > 0;
  }

  on(): never {
    throw new Error('AmqpServer does not emit transport events; watch AmqpConnection instead');
  }

  unwrap<T>(): T {
    return this.channel as T;
  }

  private async setup(channel: ConfirmChannel): Promise<void> {
    this.consumerTags.clear();
    await assertBaseTopology(channel);
    await channel.prefetch(this.options.prefetch);
    for (const [pattern, handler] of this.messageHandlers) {
      if (this.closing) return;
      const queue = await this.declareQueue(channel, pattern, handler);
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message) this.track(this.dispatch(channel, pattern, handler, message));
      });
      this.consumerTags.add(consumerTag);
    }
  }

  private async declareQueue(channel: ConfirmChannel, pattern: string, handler: MessageHandler): Promise<string> {
    if (!handler.isEventHandler) {
      const queue = rpcQueueName(pattern);
      await channel.assertQueue(queue, { durable: true, deadLetterExchange: EXCHANGES.deadLetter });
      return queue;
    }
    const broadcast = !!(handler.extras as EventHandlerExtras | undefined)?.broadcast;
    const queue = eventQueueName(this.options.service, pattern, broadcast ? this.connection.id : undefined);
    if (broadcast) {
      await channel.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false, deadLetterExchange: EXCHANGES.deadLetter });
    } else {
      await channel.assertQueue(queue, {
        durable: true,
        deadLetterExchange: EXCHANGES.deadLetter,
        arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': this.options.deliveryLimit },
      });
    }
    await channel.bindQueue(queue, EXCHANGES.events, pattern);
    return queue;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async dispatch(channel: ConfirmChannel, pattern: string, handler: MessageHandler, message: ConsumeMessage): Promise<void> {
    const requestId = message.properties.headers?.[AMQP_HEADERS.requestId] as string | undefined;
    await runWithRequestId(requestId, async () => {
      const decoded = decode(message.content);
      if (!decoded.ok) {
        this.log.warn(`dead-lettering a message on ${pattern} whose body is not JSON`);
        settle(() => channel.nack(message, false, false));
        return;
      }
      const context = new AmqpContext([message, pattern]);
      const outcome = await this.invoke(handler, decoded.value, context);
      if (handler.isEventHandler) this.settleEvent(channel, pattern, message, outcome);
      else await this.reply(channel, message, outcome);
    });
  }

  private async invoke(handler: MessageHandler, data: unknown, context: AmqpContext): Promise<{ ok: true; value: unknown } | { ok: false; error: RemoteErrorBody }> {
    try {
      const value = await lastValueFrom(this.transformToObservable(await handler(data, context)), { defaultValue: undefined });
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: remoteErrorBody(error) };
    }
  }

  private settleEvent(channel: ConfirmChannel, pattern: string, message: ConsumeMessage, outcome: { ok: boolean; error?: RemoteErrorBody }): void {
    if (outcome.ok) {
      settle(() => channel.ack(message));
      return;
    }
    const poison = outcome.error?.type === 'invalid_request_error';
    this.log.warn(`handler for ${pattern} failed (${outcome.error?.code}); ${poison ? 'dead-lettering' : 'returning it to the queue'}`);
    settle(() => channel.nack(message, false, !poison));
  }

  private async reply(channel: ConfirmChannel, message: ConsumeMessage, outcome: { ok: true; value: unknown } | { ok: false; error: RemoteErrorBody }): Promise<void> {
    const { replyTo, correlationId } = message.properties;
    if (replyTo) {
      const body: RpcReply = outcome.ok ? { response: outcome.value } : { err: outcome.error };
      try {
        channel.publish('', replyTo, encode(body), { correlationId, contentType: 'application/json' });
      } catch (error) {
        // the channel died: the broker requeues the request for another replica
        this.log.warn(`could not reply: ${(error as Error).message}`);
        return;
      }
    }
    settle(() => channel.ack(message));
  }
}

/**
 * What the caller learns of a failed handler: its own error body, `service_unavailable` when the
 * handler's dependency (its database, say) is away — the caller answers 503, not 500 — or a generic one.
 */
export function remoteErrorBody(error: unknown): RemoteErrorBody {
  // first: a driver's error (code and message) would pass for an error body
  if (isDependencyUnavailable(error)) return { type: 'api_error', code: 'service_unavailable', message: 'a dependency of the handler is unavailable' };
  if (isRemoteErrorBody(error)) return error;
  return { type: 'api_error', code: 'internal_error', message: 'handler failed' };
}

/** Acks and nacks on a channel that has since closed throw; the broker has requeued those already. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    /* channel closed: the message is redelivered */
  }
}

import { Logger } from '@nestjs/common';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { AMQP_HEADERS, EXCHANGES } from '@ish/contracts';
import { currentRequestId } from '../context/request-context';
import { AmqpConnection, assertBaseTopology, rpcQueueName } from './amqp-connection';
import { decode, encode, isRemoteErrorBody, RemoteError, RpcReply } from './amqp-message';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
const PUBLISH_TRIES = 10;
const PUBLISH_RETRY_MS = 200;

/**
 * Publishes until the broker confirms. amqp-connection-manager keeps a message for the next
 * connection while the broker is away, but one that was sent and unconfirmed when the connection
 * broke is rejected ("channel closed") — the broker may or may not have it. Such a message is sent
 * again (after the wrapper noticed the loss, it waits for the reconnect); the caller keeps its message
 * id, so a consumer that already has it drops the copy. Gives up after `tries`.
 */
export async function publishUntilConfirmed(
  publish: () => Promise<unknown>,
  onRetry: (error: unknown, attempt: number) => void = () => undefined,
  tries = PUBLISH_TRIES,
  pauseMs = PUBLISH_RETRY_MS,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await publish();
      return;
    } catch (error) {
      if (attempt >= tries) throw error;
      onRetry(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/**
 * Sends requests and publishes events over RabbitMQ. Events are persistent and `emit` resolves only
 * once the broker confirmed them (publisher confirms), so an event the caller saw published survives
 * a broker restart; one caught unconfirmed by a lost connection is sent again (same message id).
 * Requests use direct reply-to and always end: with the reply, or with a timeout.
 */
export class AmqpClient extends ClientProxy {
  private readonly log = new Logger('AmqpClient');
  private channel?: ChannelWrapper;
  private readonly pending = new Map<string, (packet: WritePacket) => void>();

  constructor(
    private readonly connection: AmqpConnection,
    private readonly rpcTimeoutMs: number,
  ) {
    super();
  }

  async connect(): Promise<ChannelWrapper> {
    if (!this.channel) {
      this.channel = this.connection.manager.createChannel({
        json: false,
        setup: (channel: ConfirmChannel) => this.setup(channel),
      });
      // replies of a dead channel never arrive: fail those calls now instead of at their timeout
      this.channel.on('close', () => this.failPending('the connection to RabbitMQ was lost'));
      this.connection.manager.on('disconnect', () => this.failPending('the connection to RabbitMQ was lost'));
    }
    return this.channel;
  }

  async close(): Promise<void> {
    this.failPending('the client is closing');
    await this.channel?.close().catch(() => undefined);
    this.channel = undefined;
  }

  unwrap<T>(): T {
    return this.channel as T;
  }

  /** Request/reply with a timeout; a remote error arrives as a RemoteError carrying its API.md body. */
  async request<TResult>(pattern: string, data: unknown, timeoutMs = this.rpcTimeoutMs): Promise<TResult> {
    try {
      return await firstValueFrom(this.send<TResult>(pattern, data).pipe(timeout(timeoutMs)));
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new RemoteError({ type: 'api_error', code: 'rpc_timeout', message: `no reply within ${timeoutMs} ms` }, pattern);
      }
      if (isRemoteErrorBody(error)) throw new RemoteError(error, pattern);
      throw error;
    }
  }

  /**
   * Publishes an event and resolves once the broker has confirmed it. `messageId`: the event's
   * identity when it may be published more than once (consumers keep one copy per id); a new one otherwise.
   */
  async publishEvent(event: string, data: unknown, messageId?: string): Promise<void> {
    if (messageId === undefined) await firstValueFrom(this.emit(event, data), { defaultValue: undefined });
    else await this.sendEvent(this.normalizePattern(event), data, messageId);
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const correlationId = randomUUID();
    const pattern = this.normalizePattern(packet.pattern);
    this.pending.set(correlationId, callback);
    void this.connect()
      .then((channel) =>
        channel.publish('', rpcQueueName(pattern), encode(packet.data), {
          correlationId,
          replyTo: DIRECT_REPLY_TO,
          contentType: 'application/json',
          expiration: String(this.rpcTimeoutMs),
          // no queue for the pattern (its service never started): returned at once, not lost silently
          mandatory: true,
          headers: this.headers(),
        }),
      )
      .catch((error: unknown) => this.resolvePending(correlationId, { err: { type: 'api_error', code: 'rpc_unavailable', message: (error as Error).message } }));
    return () => this.pending.delete(correlationId);
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    await this.sendEvent(this.normalizePattern(packet.pattern), packet.data, randomUUID());
    return undefined as T;
  }

  private async sendEvent(pattern: string, data: unknown, messageId: string): Promise<void> {
    const channel = await this.connect();
    const content = encode(data);
    // one message id for every try: a consumer drops the copy a retry may add
    const options = { persistent: true, contentType: 'application/json', messageId, timestamp: Math.floor(Date.now() / 1000), headers: this.headers() };
    await publishUntilConfirmed(() => channel.publish(EXCHANGES.events, pattern, content, options), (error, attempt) =>
      this.log.warn(`event ${pattern} ${options.messageId} not confirmed (${(error as Error).message}); sending it again (try ${attempt + 1})`),
    );
  }

  private async setup(channel: ConfirmChannel): Promise<void> {
    await assertBaseTopology(channel);
    await channel.consume(DIRECT_REPLY_TO, (message) => message && this.onReply(message), { noAck: true });
    channel.on('return', (message: ConsumeMessage) => {
      const correlationId = message.properties.correlationId as string | undefined;
      if (correlationId) this.resolvePending(correlationId, { err: { type: 'api_error', code: 'rpc_no_route', message: `nobody serves ${message.fields.routingKey}` } });
    });
  }

  private onReply(message: ConsumeMessage): void {
    const correlationId = message.properties.correlationId as string | undefined;
    if (!correlationId) return;
    const decoded = decode(message.content);
    const reply: RpcReply = decoded.ok ? (decoded.value as RpcReply) : { err: { type: 'api_error', code: 'bad_reply', message: 'reply is not JSON' } };
    this.resolvePending(correlationId, reply);
  }

  private resolvePending(correlationId: string, reply: RpcReply): void {
    const callback = this.pending.get(correlationId);
    if (!callback) return;
    this.pending.delete(correlationId);
    if (reply.err) callback({ err: reply.err, isDisposed: true });
    else callback({ response: reply.response, isDisposed: true });
  }

  private failPending(reason: string): void {
    if (this.pending.size === 0) return;
    this.log.warn(`failing ${this.pending.size} pending request(s): ${reason}`);
    for (const id of [...this.pending.keys()]) this.resolvePending(id, { err: { type: 'api_error', code: 'rpc_unavailable', message: reason } });
  }

  private headers(): Record<string, string> {
    const requestId = currentRequestId();
    return requestId ? { [AMQP_HEADERS.requestId]: requestId } : {};
  }
}

import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { IsInt, IsString, Min } from 'class-validator';
import amqp from 'amqplib';
import { DEAD_LETTER_QUEUE } from '@ish/contracts';
import {
  AmqpClient,
  AmqpConnection,
  AmqpContext,
  AmqpServer,
  ApiExceptionFilter,
  ConfigModule,
  createValidationPipe,
  currentRequestId,
  LoadedConfig,
  MessagingModule,
  PlatformConfig,
  RemoteError,
  runWithRequestId,
} from '@ish/platform';
import { RABBITMQ_URL, stack, waitFor } from '@ish/test-support';

// Each test run uses its own names, so queues left by an earlier run never interfere.
const RUN = Date.now().toString(36);
const SUM = `test-${RUN}.sum`;
const SLOW = `test-${RUN}.slow`;
const PING = `test-${RUN}.ping`;
const FLAKY = `test-${RUN}.flaky`;
const POISON = `test-${RUN}.poison`;

/** What bootstrapService provides in an app: the validated platform part, globally. */
const configModule = (config: PlatformConfig) => ConfigModule.forLoaded(new LoadedConfig(new Map([[PlatformConfig, config]])));

class SumRequest {
  @IsInt() @Min(0) a: number;
  @IsInt() @Min(0) b: number;
}
class Ping {
  @IsString() text: string;
}

/** Records what one simulated process received. */
class Inbox {
  pings: string[] = [];
  requestIds: (string | undefined)[] = [];
}
/** attempts at the flaky event, whichever replica got it */
const flaky = { attempts: 0 };

function makeHandlers(inbox: Inbox) {
  @Controller()
  class Handlers {
    @MessagePattern(SUM)
    sum(@Payload() request: SumRequest): { total: number; requestId?: string } {
      return { total: request.a + request.b, requestId: currentRequestId() };
    }

    @MessagePattern(SLOW)
    async slow(): Promise<string> {
      await new Promise((r) => setTimeout(r, 2000));
      return 'late';
    }

    @EventPattern(PING, { broadcast: true })
    onPing(@Payload() ping: Ping): void {
      inbox.pings.push(ping.text);
      inbox.requestIds.push(currentRequestId());
    }

    @EventPattern(FLAKY)
    onFlaky(@Ctx() context: AmqpContext): void {
      flaky.attempts += 1;
      if (flaky.attempts < 3) throw new Error(`attempt ${flaky.attempts} fails (${context.getPattern()})`);
    }

    @EventPattern(POISON)
    onPoison(@Payload() _ping: Ping): void {
      /* validation rejects a malformed payload before this runs */
    }
  }
  return Handlers;
}

async function startProcess(service: string, inbox: Inbox): Promise<INestApplication> {
  const config = Object.assign(new PlatformConfig(), { RABBITMQ_URL, RABBITMQ_RPC_TIMEOUT_MS: 1000, RABBITMQ_DELIVERY_LIMIT: 5 });
  @Module({
    imports: [configModule(config), MessagingModule.forRoot(service)],
    controllers: [makeHandlers(inbox)],
  })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false, abortOnError: false });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.connectMicroservice({ strategy: app.get(AmqpServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.init();
  return app;
}

describe('RabbitMQ messaging between processes (real broker)', () => {
  const inboxA = new Inbox();
  const inboxB = new Inbox();
  let a: INestApplication;
  let b: INestApplication;
  let client: AmqpClient;

  beforeAll(async () => {
    a = await startProcess(`svc-${RUN}`, inboxA);
    b = await startProcess(`svc-${RUN}`, inboxB);
    client = a.get(AmqpClient);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('answers a request with the reply of one replica and carries the request id', async () => {
    const reply = await runWithRequestId('req-42', () => client.request<{ total: number; requestId: string }>(SUM, { a: 2, b: 3 }));
    expect(reply).toEqual({ total: 5, requestId: 'req-42' });
  });

  it('returns validation errors of the remote side with field details', async () => {
    const error = await client.request(SUM, { a: -1, b: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    const body = (error as RemoteError).body;
    expect(body.code).toBe('validation_failed');
    expect(body.details?.map((d) => (d as { field: string }).field)).toEqual(expect.arrayContaining(['a', 'b']));
  });

  it('ends every request: a slow handler times out, an unserved pattern fails at once', async () => {
    const slow = await client.request(SLOW, {}, 300).catch((e: unknown) => e);
    expect((slow as RemoteError).body.code).toBe('rpc_timeout');
    const started = Date.now();
    const unserved = await client.request(`test-${RUN}.nobody`, {}).catch((e: unknown) => e);
    expect((unserved as RemoteError).body.code).toBe('rpc_no_route');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fans a broadcast event out to every process', async () => {
    await runWithRequestId('req-fanout', () => client.publishEvent(PING, { text: 'hello' }));
    await waitFor('both processes to get the event', async () => inboxA.pings.length === 1 && inboxB.pings.length === 1, 5000);
    expect(inboxA.pings).toEqual(['hello']);
    expect(inboxB.requestIds).toEqual(['req-fanout']);
  });

  it('redelivers an event whose handler failed until it succeeds (acked only after success)', async () => {
    await client.publishEvent(FLAKY, {});
    await waitFor('the third attempt', async () => flaky.attempts >= 3, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(flaky.attempts).toBe(3);
  });

  it('dead-letters a malformed event instead of retrying it forever', async () => {
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    await channel.purgeQueue(DEAD_LETTER_QUEUE);
    await client.publishEvent(POISON, { text: 42 });
    const dead = await waitFor('the dead-lettered message', async () => (await channel.get(DEAD_LETTER_QUEUE, { noAck: true })) || undefined, 5000);
    expect(JSON.parse(dead.content.toString())).toEqual({ text: 42 });
    expect(dead.properties.headers?.['x-death']?.[0]?.['routing-keys']).toEqual([POISON]);
    await connection.close();
  });
});

describe('RabbitMQ broker restart (real broker)', () => {
  const DURABLE = `test-${RUN}.durable`;

  it('keeps a persistent event published while its consumer was away, and reconnects by itself', async () => {
    const service = `svc-durable-${RUN}`;
    const received: string[] = [];
    @Controller()
    class Durable {
      @EventPattern(DURABLE)
      on(@Payload() ping: Ping): void {
        received.push(ping.text);
      }
    }
    const config = Object.assign(new PlatformConfig(), { RABBITMQ_URL });
    @Module({ imports: [configModule(config), MessagingModule.forRoot(service)], controllers: [Durable] })
    class DurableModule {}

    // declare the consumer's durable queue, then stop the consumer
    let app = await NestFactory.create(DurableModule, { logger: false, abortOnError: false });
    app.connectMicroservice({ strategy: app.get(AmqpServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    const publisher = app.get(AmqpClient);
    await app.get(AmqpServer).close();

    await publisher.publishEvent(DURABLE, { text: 'kept' });
    let reconnects = 0;
    app.get(AmqpConnection).manager.on('connect', () => (reconnects += 1));
    stack('restart', 'rabbitmq');
    await waitFor('the client to reconnect by itself', async () => reconnects > 0, 30_000);
    await app.close();

    app = await NestFactory.create(DurableModule, { logger: false, abortOnError: false });
    app.connectMicroservice({ strategy: app.get(AmqpServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await waitFor('the kept event', async () => received.length === 1, 10_000);
    expect(received).toEqual(['kept']);
    await app.close();
  });
});

afterAll(async () => {
  // the queues this run declared: durable ones would otherwise pile up in the test broker
  const connection = await amqp.connect(RABBITMQ_URL);
  const channel = await connection.createChannel();
  for (const pattern of [SUM, SLOW]) await channel.deleteQueue(`rpc.${pattern}`);
  for (const pattern of [FLAKY, POISON]) await channel.deleteQueue(`svc-${RUN}.${pattern}`);
  await channel.deleteQueue(`svc-durable-${RUN}.test-${RUN}.durable`);
  await connection.close();
});

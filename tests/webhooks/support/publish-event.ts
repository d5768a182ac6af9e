import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { EXCHANGES } from '@ish/contracts';
import { RABBITMQ_URL } from '@ish/test-support';

/** Publishes a domain event as the services do (persistent, with a message id); answers the message id. */
export async function publishDomainEvent(name: string, body: unknown, messageId: string = randomUUID()): Promise<string> {
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(EXCHANGES.events, name, Buffer.from(JSON.stringify(body)), {
      persistent: true,
      contentType: 'application/json',
      messageId,
      timestamp: Math.floor(Date.now() / 1000),
    });
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
  return messageId;
}

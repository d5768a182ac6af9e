import { createHash } from 'node:crypto';

/** The parts of an AMQP message that identify a domain event. */
export interface EventMessage {
  content: Buffer;
  fields: { routingKey: string };
  properties: { messageId?: string; timestamp?: number };
}

/**
 * A stable id for an event: the publisher's message id (AmqpClient sets one on every event), or a
 * hash of name and body for a message without one. A redelivered message keeps it, so its webhook
 * deliveries are not made twice.
 */
export function domainEventId(message: EventMessage): string {
  const id = message.properties.messageId;
  if (typeof id === 'string' && id.length > 0 && id.length <= 128) return id;
  return `sha256:${createHash('sha256').update(message.fields.routingKey).update('\n').update(message.content).digest('hex')}`;
}

/** When the event was published (the message's timestamp, in seconds), or `fallback`. */
export function domainEventTime(message: EventMessage, fallback: Date = new Date()): Date {
  const seconds = message.properties.timestamp;
  return typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000) : fallback;
}

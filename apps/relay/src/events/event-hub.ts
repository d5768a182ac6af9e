import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import type { EventEnvelope, Principal } from '@ish/contracts';
import { actsAsAdmin } from '@ish/auth-guard';

interface Subscriber {
  principal: Principal;
  res: Response;
}

const HEARTBEAT_MS = 15_000;

/** The open `/api/v1/events` streams of this relay process, by user. */
@Injectable()
export class EventHub implements OnApplicationShutdown {
  private readonly subscribers = new Set<Subscriber>();
  private readonly heartbeat = setInterval(() => this.broadcastComment('ping'), HEARTBEAT_MS);

  constructor() {
    this.heartbeat.unref();
  }

  add(principal: Principal, res: Response): void {
    const subscriber = { principal, res };
    this.subscribers.add(subscriber);
    res.once('close', () => this.subscribers.delete(subscriber));
  }

  /** to the owner's streams; `userId` null: a system event, for admins */
  deliver(userId: string | null, event: EventEnvelope): void {
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const { principal, res } of this.subscribers) {
      const mine = userId === null ? actsAsAdmin(principal) : principal.userId === userId;
      if (mine) res.write(frame);
    }
  }

  get size(): number {
    return this.subscribers.size;
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const { res } of this.subscribers) res.end();
  }

  private broadcastComment(text: string): void {
    for (const { res } of this.subscribers) res.write(`: ${text}\n\n`);
  }
}

import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { CredentialRevoked, EventEnvelope, Principal } from '@ish/contracts';
import { actsAsAdmin, CredentialVerifier, VerifiedCredential } from '@ish/auth-guard';
import { ApiError, RedisClient } from '@ish/platform';
import { RelayConfig } from '../config';
import { StreamLease, StreamLeases } from './stream-leases';

/** Answers whether the credential a stream opened with still stands, with the same role and scopes. */
export type CredentialCheck = () => Promise<boolean>;

interface Subscriber extends StreamLease {
  principal: Principal;
  expiresAt: number | null;
  res: Response;
  stillValid: CredentialCheck;
  expiryTimer?: NodeJS.Timeout;
  closed: boolean;
}

const HEARTBEAT_MS = 15_000;
// setTimeout's longest delay; a later expiry is caught by the heartbeat
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The open `/api/v1/events` streams of this relay process. A stream lives only as long as its
 * credential: it ends when the credential is revoked (`credential.revoked`, heard by the verifier),
 * when the user's role or scopes change, and at the credential's expiry. One credential holds at most
 * EVENTS_MAX_STREAMS_PER_CREDENTIAL streams over all replicas, and a client that stops reading is
 * dropped once EVENTS_MAX_BUFFERED_BYTES wait for it.
 */
@Injectable()
export class EventHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('EventHub');
  private readonly subscribers = new Set<Subscriber>();
  private readonly leases: StreamLeases;
  private readonly heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
  private stopObserving?: () => void;

  constructor(
    private readonly verifier: CredentialVerifier,
    private readonly config: RelayConfig,
    redis: RedisClient,
  ) {
    this.leases = new StreamLeases(redis);
    this.heartbeat.unref();
  }

  onModuleInit(): void {
    this.stopObserving = this.verifier.onRevocation((event) => this.recheck(event));
  }

  /**
   * Takes a slot for the credential (429 `too_many_streams` when it holds them all), then starts the
   * stream on `res`. Nothing is written before the slot is taken, so a refusal is an ordinary error answer.
   */
  async open(verified: VerifiedCredential, stillValid: CredentialCheck, res: Response): Promise<void> {
    const { principal, expiresAt } = verified;
    const limit = this.config.EVENTS_MAX_STREAMS_PER_CREDENTIAL;
    const lease = { credentialId: principal.credentialId, streamId: randomUUID() };
    if (!(await this.acquire(lease, limit))) {
      throw new ApiError(429, 'rate_limit_error', 'too_many_streams', `This credential already holds ${limit} open event streams; close one first`, undefined, { 'Retry-After': '5' });
    }
    const subscriber: Subscriber = { ...lease, principal, expiresAt, res, stillValid, closed: false };
    if (res.destroyed || res.socket?.destroyed !== false) {
      // the client left while the slot was being taken
      this.forget(subscriber);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');
    this.subscribers.add(subscriber);
    res.once('close', () => this.forget(subscriber));
    res.on('error', () => this.forget(subscriber));
    if (expiresAt !== null && expiresAt - Date.now() <= MAX_TIMER_MS) {
      subscriber.expiryTimer = setTimeout(() => this.end(subscriber, 'credential_expired', 'The credential of this stream expired'), Math.max(0, expiresAt - Date.now()));
      subscriber.expiryTimer.unref();
    }
  }

  /** to the owner's streams; `userId` null: a system event, for admins */
  deliver(userId: string | null, event: EventEnvelope): void {
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const subscriber of this.subscribers) {
      const { principal } = subscriber;
      const mine = userId === null ? actsAsAdmin(principal) : principal.userId === userId;
      if (mine) this.write(subscriber, frame);
    }
  }

  get size(): number {
    return this.subscribers.size;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    this.stopObserving?.();
    const open = [...this.subscribers];
    for (const subscriber of open) {
      subscriber.res.end();
      this.forget(subscriber);
    }
  }

  /** After a revocation: every stream it may concern is checked again; `null` (revocations reloaded): every stream. */
  private recheck(event: CredentialRevoked | null): void {
    for (const subscriber of this.subscribers) {
      if (event && !concerns(event, subscriber.principal)) continue;
      subscriber.stillValid().then(
        (valid) => {
          if (!valid) this.end(subscriber, 'credential_revoked', 'The credential of this stream was revoked or changed');
        },
        (error: Error) => this.logger.warn(`could not check the credential of an event stream: ${error.message}`),
      );
    }
  }

  /** Writes one frame; a client whose backlog passed the limit is dropped rather than buffered without end. */
  private write(subscriber: Subscriber, frame: string): void {
    if (subscriber.closed) return;
    const { res } = subscriber;
    if (!res.write(frame) && res.writableLength > this.config.EVENTS_MAX_BUFFERED_BYTES) {
      this.logger.warn({ credentialId: subscriber.credentialId, buffered: res.writableLength }, 'event stream dropped: its client does not read');
      res.destroy();
      this.forget(subscriber);
    }
  }

  /** Tells the client why (an `error` event in the API.md error shape), then ends the stream. */
  private end(subscriber: Subscriber, code: string, message: string): void {
    if (subscriber.closed) return;
    this.write(subscriber, `event: error\ndata: ${JSON.stringify({ error: { type: 'authentication_error', code, message } })}\n\n`);
    subscriber.res.end();
    this.forget(subscriber);
  }

  private forget(subscriber: Subscriber): void {
    if (subscriber.closed) return;
    subscriber.closed = true;
    clearTimeout(subscriber.expiryTimer);
    this.subscribers.delete(subscriber);
    this.leases.release(subscriber).catch((error: Error) => this.logger.warn(`could not release an event stream slot: ${error.message}`));
  }

  private async acquire(lease: StreamLease, limit: number): Promise<boolean> {
    try {
      return await this.leases.acquire(lease, limit);
    } catch (error) {
      // Redis down: the cap is counted in this process alone until it is back
      this.logger.warn(`could not count event streams in Redis: ${(error as Error).message}`);
      return [...this.subscribers].filter((s) => s.credentialId === lease.credentialId).length < limit;
    }
  }

  private beat(): void {
    const now = Date.now();
    for (const subscriber of this.subscribers) {
      if (subscriber.expiresAt !== null && subscriber.expiresAt <= now) this.end(subscriber, 'credential_expired', 'The credential of this stream expired');
      else this.write(subscriber, ': ping\n\n');
    }
    this.leases.renew([...this.subscribers], now).catch((error: Error) => this.logger.warn(`could not renew event stream slots: ${error.message}`));
  }
}

/** whether a revocation may end a stream of this principal */
function concerns(event: CredentialRevoked, principal: Principal): boolean {
  if (event.kind === 'user') return principal.userId === event.id;
  if (event.kind === 'session') return principal.kind === 'jwt' && principal.credentialId === event.id;
  return principal.kind === 'api_key' && principal.credentialId === event.id;
}

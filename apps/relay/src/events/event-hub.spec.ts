import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import type { CredentialRevoked, Principal } from '@ish/contracts';
import type { CredentialVerifier, RevocationObserver } from '@ish/auth-guard';
import type { RedisClient } from '@ish/platform';
import { RelayConfig } from '../config';
import { EventHub } from './event-hub';

/** What the hub uses of an express Response: writes are kept, and `write` answers what the test says. */
class FakeResponse extends EventEmitter {
  readonly frames: string[] = [];
  writableLength = 0;
  accepts = true;
  ended = false;
  destroyed = false;
  socket = { destroyed: false };
  status() {
    return this;
  }
  setHeader() {}
  flushHeaders() {}
  write(frame: string) {
    this.frames.push(frame);
    return this.accepts;
  }
  end() {
    this.ended = true;
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'api_key',
  userId: 'u1',
  email: 'u1@example.com',
  role: 'user',
  scopes: ['chat'],
  credentialId: 'k1',
  rateLimitPerMinute: null,
  ...overrides,
});

describe('EventHub', () => {
  let hub: EventHub;
  let observer: RevocationObserver;
  let slotsTaken: number;
  const released: string[] = [];

  beforeEach(() => {
    slotsTaken = 0;
    released.length = 0;
    const verifier = { onRevocation: (o: RevocationObserver) => ((observer = o), () => undefined) } as unknown as CredentialVerifier;
    const redis = {
      eval: jest.fn(async () => (++slotsTaken <= 2 ? 1 : 0)),
      zrem: jest.fn(async (_key: string, id: string) => released.push(id)),
      pipeline: () => ({ zadd: () => undefined, pexpire: () => undefined, exec: async () => [] }),
    } as unknown as RedisClient;
    hub = new EventHub(verifier, Object.assign(new RelayConfig(), { EVENTS_MAX_STREAMS_PER_CREDENTIAL: 2, EVENTS_MAX_BUFFERED_BYTES: 65_536 }), redis);
    hub.onModuleInit();
  });

  afterEach(async () => {
    await hub.onApplicationShutdown();
  });

  async function open(p = principal(), stillValid = async () => true, expiresAt: number | null = null): Promise<FakeResponse> {
    const res = new FakeResponse();
    await hub.open({ principal: p, expiresAt }, stillValid, res as unknown as Response);
    return res;
  }

  const event = (kind: CredentialRevoked['kind'], id: string): CredentialRevoked => ({ kind, id, notBefore: Date.now() });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('delivers to the owner, and system events to admins only', async () => {
    const mine = await open();
    const admin = await open(principal({ userId: 'a1', role: 'admin', scopes: ['admin'], credentialId: 'k2' }));
    hub.deliver('u1', { type: 'job.completed', timestamp: 't', data: { jobId: 'j1' } });
    hub.deliver(null, { type: 'instance.status_changed', timestamp: 't', data: {} });
    expect(mine.frames.filter((f) => f.startsWith('event:'))).toEqual([`event: job.completed\ndata: ${JSON.stringify({ type: 'job.completed', timestamp: 't', data: { jobId: 'j1' } })}\n\n`]);
    expect(admin.frames.filter((f) => f.startsWith('event:')).map((f) => f.split('\n')[0])).toEqual(['event: instance.status_changed']);
  });

  it('refuses a stream past the credential’s cap with 429 too_many_streams, before writing anything', async () => {
    await open();
    await open();
    const res = new FakeResponse();
    await expect(hub.open({ principal: principal(), expiresAt: null }, async () => true, res as unknown as Response)).rejects.toMatchObject({ status: 429, code: 'too_many_streams' });
    expect(res.frames).toEqual([]);
  });

  it('drops a client that does not read once its backlog passes the limit, and frees its slot', async () => {
    const slow = await open();
    slow.accepts = false;
    slow.writableLength = 10_000;
    hub.deliver('u1', { type: 'job.completed', timestamp: 't', data: {} });
    expect(slow.destroyed).toBe(false);
    slow.writableLength = 70_000;
    hub.deliver('u1', { type: 'job.completed', timestamp: 't', data: {} });
    expect(slow.destroyed).toBe(true);
    expect(hub.size).toBe(0);
    expect(released).toHaveLength(1);
  });

  it('ends a stream at its credential’s expiry, telling the client why', async () => {
    const res = await open(principal(), async () => true, Date.now() + 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(res.ended).toBe(true);
    expect(res.frames.at(-1)).toMatch(/^event: error\ndata: \{"error":\{"type":"authentication_error","code":"credential_expired"/);
  });

  it('checks again only the streams a revocation concerns, and ends those no longer valid', async () => {
    const keyCheck = jest.fn(async () => false);
    const otherCheck = jest.fn(async () => false);
    const key = await open(principal(), keyCheck);
    const other = await open(principal({ userId: 'u2', credentialId: 'k9' }), otherCheck);
    observer(event('api_key', 'k1'));
    await settle();
    expect(keyCheck).toHaveBeenCalledTimes(1);
    expect(otherCheck).not.toHaveBeenCalled();
    expect(key.ended).toBe(true);
    expect(key.frames.at(-1)).toMatch(/"code":"credential_revoked"/);
    expect(other.ended).toBe(false);
  });

  it('matches sessions to JWT streams and users to all their streams; a reload checks every stream', async () => {
    const checks: string[] = [];
    const jwt = await open(principal({ kind: 'jwt', credentialId: 's1' }), async () => (checks.push('jwt'), true));
    const key = await open(principal({ credentialId: 's1' }), async () => (checks.push('key'), true));
    observer(event('session', 's1'));
    await settle();
    expect(checks).toEqual(['jwt']);
    observer(event('user', 'u1'));
    await settle();
    expect(checks.sort()).toEqual(['jwt', 'jwt', 'key']);
    observer(null);
    await settle();
    expect(checks).toHaveLength(5);
    expect(jwt.ended || key.ended).toBe(false);
  });
});

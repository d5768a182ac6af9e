import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApiError, RedisClient } from '@ish/platform';
import { REDIS_KEYS } from '@ish/contracts';

const WINDOW_SECONDS = 24 * 3600;

export interface StoredAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Entry = { state: 'pending'; fingerprint: string } | { state: 'done'; fingerprint: string; answer: StoredAnswer };

/**
 * `Idempotency-Key`: the first request with a key from a credential is answered normally and its
 * answer kept for 24 h; a repeat gets that answer again and never a second upstream call. A repeat
 * while the first is still running gets 409; the same key with a different body gets 422.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly redis: RedisClient) {}

  static validateKey(key: string): void {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw ApiError.badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1-255 printable characters', [{ field: 'Idempotency-Key', message: 'invalid' }]);
    }
  }

  static fingerprint(body: unknown): string {
    return createHash('sha256').update(JSON.stringify(body)).digest('hex');
  }

  /** A stable id for what the key stands for (the async job id). */
  static derivedId(credentialId: string, key: string): string {
    return createHash('sha256').update(`${credentialId}\n${key}`).digest('hex').slice(0, 32);
  }

  /** Runs `work` once per (credential, key); replays its answer afterwards. */
  async once(credentialId: string, key: string, body: unknown, work: () => Promise<StoredAnswer>): Promise<StoredAnswer & { replayed: boolean }> {
    IdempotencyStore.validateKey(key);
    const redisKey = REDIS_KEYS.idempotency(IdempotencyStore.derivedId(credentialId, key));
    const fingerprint = IdempotencyStore.fingerprint(body);
    const claimed = await this.redis.set(redisKey, JSON.stringify({ state: 'pending', fingerprint } satisfies Entry), 'EX', WINDOW_SECONDS, 'NX');
    if (!claimed) {
      const existing = JSON.parse((await this.redis.get(redisKey)) ?? 'null') as Entry | null;
      if (!existing) return this.once(credentialId, key, body, work);
      if (existing.fingerprint !== fingerprint) {
        throw new ApiError(422, 'invalid_request_error', 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body');
      }
      if (existing.state === 'pending') throw ApiError.conflict('A request with this Idempotency-Key is still being processed', 'idempotency_in_progress');
      return { ...existing.answer, replayed: true };
    }
    try {
      const answer = await work();
      await this.redis.set(redisKey, JSON.stringify({ state: 'done', fingerprint, answer } satisfies Entry), 'EX', WINDOW_SECONDS);
      return { ...answer, replayed: false };
    } catch (error) {
      // nothing was answered: the key is free for a retry
      await this.redis.del(redisKey).catch(() => undefined);
      throw error;
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ChatMessage } from '@ish/contracts';
import { RedisClient } from '@ish/platform';
import { RelayCoreConfig } from './relay-core.config';
import { REDIS_KEYS } from '@ish/contracts';

export interface CacheableRequest {
  model: string;
  provider?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
}

/**
 * Answers to identical deterministic requests (temperature 0, same model, messages and limits),
 * kept in Redis for LLM_CACHE_TTL seconds. Anything else is never cached; a Redis hiccup is a miss.
 */
@Injectable()
export class ResponseCache {
  private readonly logger = new Logger('ResponseCache');

  constructor(
    private readonly redis: RedisClient,
    private readonly config: RelayCoreConfig,
  ) {}

  static isCacheable(request: CacheableRequest): boolean {
    return request.temperature === 0;
  }

  static keyOf(request: CacheableRequest): string {
    const material = JSON.stringify([request.model, request.provider ?? null, request.messages, request.maxTokens ?? null]);
    return REDIS_KEYS.relayResponseCache(createHash('sha256').update(material).digest('hex'));
  }

  /** A Chat Completions request is cached when deterministic (temperature 0) and offering no tools; streams never are. */
  static isCacheableCompletion(params: { temperature?: number | null; tools?: unknown }): boolean {
    return params.temperature === 0 && !(Array.isArray(params.tools) && params.tools.length > 0);
  }

  /** Keyed on the whole request: every parameter, known or not, may change the answer. */
  static completionKeyOf(params: object, dropParams: boolean): string {
    const material = JSON.stringify([dropParams, params]);
    return REDIS_KEYS.completionResponseCache(createHash('sha256').update(material).digest('hex'));
  }

  async get<T>(request: CacheableRequest): Promise<T | undefined> {
    return this.enabledFor(request) ? this.read<T>(ResponseCache.keyOf(request)) : undefined;
  }

  async set(request: CacheableRequest, value: unknown): Promise<void> {
    if (this.enabledFor(request)) await this.write(ResponseCache.keyOf(request), value);
  }

  /** The cached answer to a Chat Completions request; undefined when it is not cacheable or not cached. */
  async getCompletion<T>(params: { temperature?: number | null; tools?: unknown }, dropParams: boolean): Promise<T | undefined> {
    if (this.config.LLM_CACHE_TTL <= 0 || !ResponseCache.isCacheableCompletion(params)) return undefined;
    return this.read<T>(ResponseCache.completionKeyOf(params, dropParams));
  }

  async setCompletion(params: { temperature?: number | null; tools?: unknown }, dropParams: boolean, value: unknown): Promise<void> {
    if (this.config.LLM_CACHE_TTL <= 0 || !ResponseCache.isCacheableCompletion(params)) return;
    await this.write(ResponseCache.completionKeyOf(params, dropParams), value);
  }

  private async read<T>(key: string): Promise<T | undefined> {
    try {
      const hit = await this.redis.get(key);
      return hit ? (JSON.parse(hit) as T) : undefined;
    } catch (error) {
      this.logger.warn(`cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async write(key: string, value: unknown): Promise<void> {
    await this.redis.set(key, JSON.stringify(value), 'EX', this.config.LLM_CACHE_TTL).catch(() => undefined);
  }

  private enabledFor(request: CacheableRequest): boolean {
    return this.config.LLM_CACHE_TTL > 0 && ResponseCache.isCacheable(request);
  }
}

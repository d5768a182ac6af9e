import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ChatMessage } from '@ish/contracts';
import { RedisClient } from '@ish/platform';
import { RelayCoreConfig } from './relay-core.config';

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
    return `ish:llm-cache:${createHash('sha256').update(material).digest('hex')}`;
  }

  async get<T>(request: CacheableRequest): Promise<T | undefined> {
    if (!this.enabledFor(request)) return undefined;
    try {
      const hit = await this.redis.get(ResponseCache.keyOf(request));
      return hit ? (JSON.parse(hit) as T) : undefined;
    } catch (error) {
      this.logger.warn(`cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(request: CacheableRequest, value: unknown): Promise<void> {
    if (!this.enabledFor(request)) return;
    await this.redis.set(ResponseCache.keyOf(request), JSON.stringify(value), 'EX', this.config.LLM_CACHE_TTL).catch(() => undefined);
  }

  private enabledFor(request: CacheableRequest): boolean {
    return this.config.LLM_CACHE_TTL > 0 && ResponseCache.isCacheable(request);
  }
}

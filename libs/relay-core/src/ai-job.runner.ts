import { Injectable } from '@nestjs/common';
import type { AiJobData, RelayReply } from '@ish/contracts';
import { ChatExecutor } from './chat-executor';
import { ConversationStore } from './conversation.store';
import { ResponseCache } from './response-cache';

/**
 * Runs one relay request end to end — cache, routed call with failover, conversation update — for
 * the sync path in the relay and for `ai` jobs in the worker alike.
 */
@Injectable()
export class AiJobRunner {
  constructor(
    private readonly executor: ChatExecutor,
    private readonly conversations: ConversationStore,
    private readonly cache: ResponseCache,
  ) {}

  async run(job: AiJobData, id: string, signal?: AbortSignal): Promise<RelayReply> {
    const cacheable = { model: job.model, provider: job.provider, messages: job.messages, temperature: job.temperature, maxTokens: job.maxTokens };
    const hit = await this.cache.get<Omit<RelayReply, 'id' | 'conversationId' | 'cached'>>(cacheable);
    let reply: RelayReply;
    if (hit) {
      reply = { ...hit, id, conversationId: job.conversationId, latencyMs: 0, cached: true };
    } else {
      const modelRef = job.provider ? `${job.provider}/${job.model}` : job.model;
      const served = await this.executor.complete(
        { model: modelRef, messages: job.messages, temperature: job.temperature, max_tokens: job.maxTokens },
        { userId: job.userId, apiKeyId: job.apiKeyId, tokensPerMinute: job.tokensPerMinute ?? null, signal },
      );
      const usage = served.completion.usage;
      reply = {
        id,
        conversationId: job.conversationId,
        reply: served.completion.choices[0]?.message?.content ?? '',
        model: served.completion.model || served.model,
        provider: served.instance.providerType,
        instanceId: served.instance.id,
        usage: { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0, totalTokens: usage?.total_tokens ?? 0 },
        latencyMs: served.latencyMs,
        cached: false,
      };
      const { id: _id, conversationId: _c, cached: _cached, ...cacheValue } = reply;
      await this.cache.set(cacheable, cacheValue);
    }
    await this.conversations.append(job.conversationId, {
      role: 'assistant',
      content: reply.reply,
      model: reply.model,
      instanceId: reply.instanceId,
      promptTokens: reply.usage.promptTokens,
      completionTokens: reply.usage.completionTokens,
    });
    return reply;
  }
}

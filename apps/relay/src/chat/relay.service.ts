import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiJobData, JOBS, Principal, QUEUES, RelayRequest } from '@ish/contracts';
import { JOB_OPTIONS, JobProducer } from '@ish/jobs';
import { currentRequestId } from '@ish/platform';
import { AiJobRunner, ConversationStore, RelayCoreConfig } from '@ish/relay-core';
import { IdempotencyStore, StoredAnswer } from './idempotency.store';

/** `POST /api/v1/relay`: the message joins its conversation, then is answered now (sync) or by a worker (async, an `ai` job). */
@Injectable()
export class RelayService {
  constructor(
    private readonly config: RelayCoreConfig,
    private readonly runner: AiJobRunner,
    private readonly conversations: ConversationStore,
    private readonly jobs: JobProducer,
  ) {}

  async answer(principal: Principal, body: RelayRequest, model: string, idempotencyKey: string | undefined, signal: AbortSignal): Promise<StoredAnswer> {
    const conversation = await this.conversations.begin(principal.userId, body.conversationId, body.message, body.systemPrompt);
    const job: AiJobData = {
      type: 'ai',
      userId: principal.userId,
      credentialId: principal.credentialId,
      apiKeyId: principal.kind === 'api_key' ? principal.credentialId : null,
      conversationId: conversation.conversationId,
      model,
      provider: body.provider,
      messages: conversation.messages,
      temperature: body.temperature,
      maxTokens: body.maxTokens,
      requestId: currentRequestId(),
      tokensPerMinute: principal.kind === 'api_key' ? (principal.tokensPerMinute ?? null) : null,
    };
    if (body.mode === 'async') {
      // the same key makes the same job id: a retried submission finds the first job
      const jobId = idempotencyKey ? `ai_${IdempotencyStore.derivedId(principal.credentialId, idempotencyKey)}` : `ai_${randomUUID()}`;
      await this.jobs.add({ queue: QUEUES.ai, name: JOBS.aiCompletion, data: job, owner: principal.userId, options: JOB_OPTIONS.ai(jobId, this.config.JOB_ATTEMPTS, this.config.JOB_RESULT_TTL_SECONDS) });
      return { status: 202, body: { jobId, status: 'queued', conversationId: conversation.conversationId }, headers: { Location: `/api/v1/jobs/${jobId}` } };
    }
    return { status: 200, body: await this.runner.run(job, `rel_${randomUUID()}`, signal) };
  }
}

import { Body, Controller, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AiJobData, Principal, RelayRequest } from '@ish/contracts';
import { ApiError, currentRequestId, CurrentPrincipal, RequireScopes } from '@ish/platform';
import { AiJobRunner, ChatExecutor, ConversationStore, RelayCoreConfig } from '@ish/relay-core';
import { JobQueues } from '../jobs/ai-job.queue';
import { clientSignal } from './client-signal';
import { IdempotencyStore, StoredAnswer } from './idempotency.store';

@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/relay')
export class RelayController {
  constructor(
    private readonly config: RelayCoreConfig,
    private readonly executor: ChatExecutor,
    private readonly runner: AiJobRunner,
    private readonly conversations: ConversationStore,
    private readonly queues: JobQueues,
    private readonly idempotency: IdempotencyStore,
  ) {}

  /** sync (200, the reply) or async (202, a job); an Idempotency-Key replays the first answer */
  @RequireScopes('chat')
  @Post()
  async relay(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RelayRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (body.message.length > this.config.MAX_MESSAGE_CHARS) {
      throw new ApiError(413, 'invalid_request_error', 'message_too_long', `message is longer than ${this.config.MAX_MESSAGE_CHARS} characters`, [
        { field: 'message', message: `at most ${this.config.MAX_MESSAGE_CHARS} characters` },
      ]);
    }
    const model = body.model ?? 'auto';
    this.executor.assertModelKnown(body.provider ? `${body.provider}/${model}` : model);
    const work = () => this.answer(principal, body, model, idempotencyKey, clientSignal(req, res));
    const answer = idempotencyKey ? await this.idempotency.once(principal.credentialId, idempotencyKey, body, work) : await work();
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  }

  private async answer(principal: Principal, body: RelayRequest, model: string, idempotencyKey: string | undefined, signal: AbortSignal): Promise<StoredAnswer> {
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
    };
    if (body.mode === 'async') {
      const jobId = idempotencyKey ? `ai_${IdempotencyStore.derivedId(principal.credentialId, idempotencyKey)}` : `ai_${randomUUID()}`;
      await this.queues.submit(jobId, job);
      return { status: 202, body: { jobId, status: 'queued', conversationId: conversation.conversationId }, headers: { Location: `/api/v1/jobs/${jobId}` } };
    }
    return { status: 200, body: await this.runner.run(job, `rel_${randomUUID()}`, signal) };
  }
}

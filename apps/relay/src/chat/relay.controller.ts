import { Body, Controller, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Principal, RelayRequest } from '@ish/contracts';
import { ApiError, CurrentPrincipal, RequireScopes, sendJson } from '@ish/platform';
import { ChatExecutor, RelayCoreConfig } from '@ish/relay-core';
import { ModelAccess } from '../models/model-access';
import { clientSignal } from './client-signal';
import { IdempotencyStore } from './idempotency.store';
import { RelayService } from './relay.service';

@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/relay')
export class RelayController {
  constructor(
    private readonly config: RelayCoreConfig,
    private readonly executor: ChatExecutor,
    private readonly answers: RelayService,
    private readonly idempotency: IdempotencyStore,
    private readonly access: ModelAccess,
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
    // sync and async alike: an async job is checked here, at submission
    this.access.assertAllowed(principal, { model, provider: body.provider });
    this.executor.assertModelKnown(body.provider ? `${body.provider}/${model}` : model);
    const work = () => this.answers.answer(principal, body, model, idempotencyKey, clientSignal(req, res));
    const answer = idempotencyKey ? await this.idempotency.once(principal.credentialId, idempotencyKey, body, work) : await work();
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    sendJson(res, answer.status, answer.body);
  }
}

import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { EmbeddingsRequest, Principal } from '@ish/contracts';
import { CurrentPrincipal, RequireScopes, sendJson } from '@ish/platform';
import { callerOf, ChatExecutor } from '@ish/relay-core';
import { ModelAccess } from '../models/model-access';
import { clientSignal } from './client-signal';
import { setServedHeaders } from './served-headers';

/**
 * OpenAI Embeddings, request and response, so `openai.embeddings.create` works unchanged with
 * `baseURL` = the gateway's `/api/v1` (the SDK asks for base64 unless told otherwise, and decodes it).
 */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/embeddings')
export class EmbeddingsController {
  constructor(
    private readonly executor: ChatExecutor,
    private readonly access: ModelAccess,
  ) {}

  @RequireScopes('chat')
  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: EmbeddingsRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.access.assertAllowed(principal, { model: body.model });
    const caller = callerOf(principal, clientSignal(req, res), { route: req.path, body });
    const served = await this.executor.embed(upstreamParams(body), caller);
    setServedHeaders(res, served, served.costUsd);
    sendJson(res, 200, served.response);
  }
}

/** The request as the provider gets it: what the client gave, `null` parameters left out (they mean "the default"). */
export function upstreamParams(body: EmbeddingsRequest): EmbeddingCreateParams {
  const { model, input, encoding_format, dimensions, user } = body;
  return {
    model,
    input,
    ...(encoding_format != null ? { encoding_format } : {}),
    ...(dimensions != null ? { dimensions } : {}),
    ...(user != null ? { user } : {}),
  };
}

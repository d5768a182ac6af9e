import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ChatCompletionRequest, Principal } from '@ish/contracts';
import { CurrentPrincipal, RequireScopes, sendJson, toErrorResponse } from '@ish/platform';
import { callerOf, ChatExecutor, checkChatCompletionRequest, RelayCoreConfig, ResponseCache } from '@ish/relay-core';
import { RelayConfig } from '../config';
import { ModelAccess } from '../models/model-access';
import { clientSignal } from './client-signal';
import { setServedHeaders } from './served-headers';
import { openEventStream, pipeEventStream } from './event-stream';

/**
 * OpenAI Chat Completions, request and response, so the official SDK works unchanged with
 * `baseURL` = the gateway's `/api/v1`. `stream: true` answers Server-Sent Events ending in `[DONE]`.
 * The body is checked by checkChatCompletionRequest (not the global pipe, which refuses unknown
 * fields): unknown parameters go to the provider unchanged.
 */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/chat/completions')
export class CompletionsController {
  constructor(
    private readonly config: RelayConfig,
    private readonly core: RelayCoreConfig,
    private readonly executor: ChatExecutor,
    private readonly cache: ResponseCache,
    private readonly access: ModelAccess,
  ) {}

  @RequireScopes('chat')
  @Post()
  @ApiBody({ type: ChatCompletionRequest })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { params, stream, includeUsage, dropParams } = checkChatCompletionRequest(body, { maxChoices: this.config.MAX_CHOICES, maxMessageChars: this.core.MAX_MESSAGE_CHARS });
    // before the response cache too: a cached answer is still a call of that model
    this.access.assertAllowed(principal, { model: params.model });
    const caller = callerOf(principal, clientSignal(req, res), { route: req.path, body });
    if (!stream) {
      const hit = await this.cache.getCompletion<CachedCompletion>(params, dropParams);
      if (hit) {
        // no upstream call, no cost: who answered first is still named
        res.setHeader('x-ish-instance', hit.instanceId);
        res.setHeader('x-ish-provider', hit.provider);
        res.setHeader('x-ish-model', hit.model);
        res.setHeader('x-ish-cost-usd', '0');
        res.setHeader('x-ish-cache', 'hit');
        if (hit.droppedParams.length > 0) res.setHeader('x-ish-dropped-params', hit.droppedParams.join(', '));
        sendJson(res, 200, hit.completion);
        return;
      }
      const served = await this.executor.complete(params, caller, { dropParams });
      await this.cache.setCompletion(params, dropParams, {
        completion: served.completion,
        instanceId: served.instance.id,
        provider: served.instance.providerType,
        model: served.model,
        droppedParams: served.droppedParams,
      } satisfies CachedCompletion);
      setServedHeaders(res, served, served.costUsd);
      if (served.droppedParams.length > 0) res.setHeader('x-ish-dropped-params', served.droppedParams.join(', '));
      sendJson(res, 200, served.completion);
      return;
    }
    const handle = await this.executor.stream(params, caller, includeUsage, { dropParams });
    // the cost comes as usage.cost_usd on the usage chunk
    openEventStream(res, handle);
    await pipeEventStream(res, caller.signal, handle.chunks, {
      chunk: (chunk) => [`data: ${JSON.stringify(chunk)}\n\n`],
      end: () => ['data: [DONE]\n\n'],
      error: (error) => [`data: ${JSON.stringify(toErrorResponse(error).body)}\n\n`],
    });
  }
}

/** A deterministic answer kept by the response cache (temperature 0, no tools, not streamed). */
interface CachedCompletion {
  completion: unknown;
  instanceId: string;
  provider: string;
  model: string;
  droppedParams: string[];
}

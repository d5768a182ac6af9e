import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ChatCompletionRequest, Principal } from '@ish/contracts';
import { ApiError, CurrentPrincipal, RequireScopes, toErrorResponse } from '@ish/platform';
import { ChatExecutor, ChatParams } from '@ish/relay-core';
import { RelayConfig } from '../config';
import { clientSignal } from './client-signal';
import { writable } from './writable';

/**
 * OpenAI Chat Completions, request and response, so the official SDK works unchanged with
 * `baseURL` = the gateway's `/api/v1`. `stream: true` answers Server-Sent Events ending in `[DONE]`.
 */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/chat/completions')
export class CompletionsController {
  constructor(
    private readonly config: RelayConfig,
    private readonly executor: ChatExecutor,
  ) {}

  @RequireScopes('chat')
  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: ChatCompletionRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { stream, stream_options, ...rest } = body;
    // validated by the DTO; the SDK types narrow response_format further than we check
    const params = { ...rest, messages: this.messages(body) } as ChatParams;
    const caller = { userId: principal.userId, apiKeyId: principal.kind === 'api_key' ? principal.credentialId : null, signal: clientSignal(req, res) };
    if (!stream) {
      const served = await this.executor.complete(params, caller);
      res.setHeader('x-ish-instance', served.instance.id);
      res.status(200).json(served.completion);
      return;
    }
    const handle = await this.executor.stream(params, caller, stream_options?.include_usage === true);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('x-ish-instance', handle.instance.id);
    res.flushHeaders();
    try {
      for await (const chunk of handle.chunks) {
        if (!res.write(`data: ${JSON.stringify(chunk)}\n\n`)) await writable(res);
        if (caller.signal.aborted) return;
      }
      res.write('data: [DONE]\n\n');
    } catch (error) {
      // past the first byte there is no failover and no status code: the error is the last event
      if (!caller.signal.aborted) res.write(`data: ${JSON.stringify(toErrorResponse(error).body)}\n\n`);
    } finally {
      res.end();
    }
  }

  /** Checks sizes and turns OpenAI content parts into what we send upstream. */
  private messages(body: ChatCompletionRequest): ChatCompletionMessageParam[] {
    let total = 0;
    const messages = body.messages.map((message, index) => {
      const content = textOf(message.content);
      if (content === undefined) {
        throw ApiError.badRequest('validation_failed', `messages[${index}].content must be a string or an array of text parts`, [
          { field: `messages.${index}.content`, message: 'must be a string or text parts' },
        ]).withParam(`messages.${index}.content`);
      }
      total += content.length;
      return { role: message.role, content, ...(message.name ? { name: message.name } : {}) } as ChatCompletionMessageParam;
    });
    if (total > this.config.MAX_MESSAGE_CHARS) {
      throw new ApiError(413, 'invalid_request_error', 'message_too_long', `messages hold more than ${this.config.MAX_MESSAGE_CHARS} characters`).withParam('messages');
    }
    return messages;
  }
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.every((part) => part && typeof part === 'object' && (part as { type?: unknown }).type === 'text' && typeof (part as { text?: unknown }).text === 'string')) {
    return content.map((part) => (part as { text: string }).text).join('');
  }
  return undefined;
}

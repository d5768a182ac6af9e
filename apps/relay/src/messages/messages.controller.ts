import { Body, Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Principal } from '@ish/contracts';
import { CurrentPrincipal, rawBodyOf, RequireScopes, sendJson } from '@ish/platform';
import {
  anthropicErrorBody,
  messagesValidationError,
  resolveAnthropicVersion,
  serializeMessagesEvent,
  serializeSseEvent,
  type MessagesStreamEvent,
  validateCountTokensRequest,
  validateMessagesRequest,
  type MessagesValidationOptions,
} from '@ish/providers';
import { callerOf, type CallerContext } from '@ish/relay-core';
import { clientSignal } from '../chat/client-signal';
import { setServedHeaders } from '../chat/served-headers';
import { openEventStream, pipeEventStream } from '../chat/event-stream';
import { ModelAccess } from '../models/model-access';
import { AnthropicExceptionFilter, AnthropicRequestError, toAnthropicErrorResponse } from './anthropic-exception.filter';
import { MessagesService, RawMessagesRequest } from './messages.service';

/**
 * Anthropic's Messages API (`POST /v1/messages`, `/v1/messages/count_tokens`), so `@anthropic-ai/sdk`
 * and Claude Code work unchanged with `baseURL` = the gateway's `/api`. Errors here are Anthropic's shape.
 * The body is checked by validateMessagesRequest per `anthropic-version` (not the global pipe).
 */
@ApiTags('relay')
@ApiBearerAuth()
@UseFilters(AnthropicExceptionFilter)
@Controller('api/v1/messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly access: ModelAccess,
  ) {}

  @RequireScopes('chat')
  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const checked = validateMessagesRequest(body, validationOptions(req));
    if (!checked.ok) throw new AnthropicRequestError(messagesValidationError(checked.problems));
    const request = checked.request;
    this.access.assertAllowed(principal, { model: request.model });
    const caller = callerFor(principal, req, res);
    echoRequestId(res);
    if (!request.stream) {
      const served = await this.messages.create(request, rawOf(req), caller);
      setServedHeaders(res, served, served.costUsd);
      if (served.droppedParams.length > 0) res.setHeader('x-ish-dropped-params', served.droppedParams.join(', '));
      // an Anthropic instance's answer goes back as it gave it
      if (served.passed) res.status(200).type('application/json').send(served.passed.text);
      else sendJson(res, 200, served.message);
      return;
    }
    const served = await this.messages.stream(request, rawOf(req), caller);
    openEventStream(res, served);
    const anthropicError = (error: unknown) => toAnthropicErrorResponse(error).body.error;
    const translated = served.translated;
    if (translated) {
      const frames = (events: MessagesStreamEvent[]) => events.map(serializeMessagesEvent);
      await pipeEventStream(res, caller.signal, translated.chunks, {
        chunk: (chunk) => frames(translated.translator.push(chunk)),
        end: () => frames(translated.translator.end()),
        error: (error) => {
          const { type, message, code } = anthropicError(error);
          return frames(translated.translator.error(type, message, code));
        },
      });
      return;
    }
    // Anthropic's events, each as it arrives (ping, error and events we do not know included)
    await pipeEventStream(res, caller.signal, served.events, {
      chunk: (event) => [serializeSseEvent(event)],
      end: () => [],
      error: (error) => {
        const { type, message, code } = anthropicError(error);
        return [serializeMessagesEvent(anthropicErrorBody(type, message, code))];
      },
    });
  }

  @RequireScopes('chat')
  @Post('count_tokens')
  @HttpCode(200)
  async countTokens(
    @CurrentPrincipal() principal: Principal,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const checked = validateCountTokensRequest(body, validationOptions(req));
    if (!checked.ok) throw new AnthropicRequestError(messagesValidationError(checked.problems));
    this.access.assertAllowed(principal, { model: checked.request.model });
    echoRequestId(res);
    return this.messages.countTokens(checked.request, rawOf(req), callerFor(principal, req, res));
  }
}

/** `anthropic-version` (400 for one Anthropic does not know) and the `anthropic-beta` list. */
function validationOptions(req: Request): MessagesValidationOptions {
  const version = resolveAnthropicVersion(req.header('anthropic-version'));
  if (!version.ok) throw new AnthropicRequestError(version.error);
  const betas = (req.header('anthropic-beta') ?? '')
    .split(',')
    .map((beta) => beta.trim())
    .filter((beta) => beta !== '');
  return { version: version.version, betas };
}

/** The body's bytes (main.ts keeps them for these routes) and the version headers as the client sent them. */
function rawOf(req: Request): RawMessagesRequest {
  const body = rawBodyOf(req);
  if (!body) throw new Error('the raw body of a Messages request was not kept (main.ts rawBodies)');
  return { body, anthropicVersion: req.header('anthropic-version'), anthropicBeta: req.header('anthropic-beta') };
}

function callerFor(principal: Principal, req: Request, res: Response): CallerContext {
  return callerOf(principal, clientSignal(req, res), { route: req.path, body: req.body as unknown });
}

/** Anthropic's clients read the request id from `request-id` (the SDK's `_request_id`): the same id as `x-request-id`. */
function echoRequestId(res: Response): void {
  const id = res.getHeader('x-request-id');
  if (typeof id === 'string') res.setHeader('request-id', id);
}

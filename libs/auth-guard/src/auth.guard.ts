import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Scope } from '@ish/contracts';
import { ApiError, AuthenticatedRequest, IS_PUBLIC, REQUIRED_SCOPES } from '@ish/platform';
import { CredentialVerifier } from './credential-verifier';
import { CredentialRateLimiter } from './rate-limiter';
import { hasScope } from './scopes';

/**
 * The one guard of every service: authenticates a bearer JWT or API key (401), checks the route's
 * scopes (403), then counts the request against the credential's rate limit (429).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: CredentialVerifier,
    private readonly rateLimiter: CredentialRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const credential = extractCredential(request);
    if (!credential) throw ApiError.unauthorized('Send a credential: Authorization: Bearer <token or API key>, or X-API-Key', 'missing_credential');
    const principal = await this.verifier.verify(credential);
    if (!principal) throw ApiError.unauthorized('The credential is invalid, expired or revoked');

    const required = this.reflector.getAllAndOverride<Scope[]>(REQUIRED_SCOPES, targets) ?? [];
    if (!hasScope(principal.scopes, required)) {
      throw ApiError.forbidden(`This needs the scope ${required.join(' or ')}`);
    }
    request.principal = principal;

    const state = await this.rateLimiter.consume(principal);
    if (state) {
      response.setHeader('X-RateLimit-Limit', String(state.limit));
      response.setHeader('X-RateLimit-Remaining', String(state.remaining));
      response.setHeader('X-RateLimit-Reset', String(state.resetSeconds));
    }
    return true;
  }
}

export function extractCredential(request: Request): string | undefined {
  const authorization = request.header('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const apiKey = request.header('x-api-key');
  return apiKey?.trim() || undefined;
}

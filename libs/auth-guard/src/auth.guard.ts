import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Principal, Scope } from '@ish/contracts';
import { addressBucket, ApiError, AuthenticatedRequest, IS_PUBLIC, LIMITED_BY_ADDRESS, normalizeAddress, REQUIRED_SCOPES } from '@ish/platform';
import { AddressRateLimiter } from './address-rate-limiter';
import { CredentialVerifier } from './credential-verifier';
import { CredentialRateLimiter } from './rate-limiter';
import { capScopes, hasScope } from './scopes';

/**
 * The one guard of every service: authenticates a bearer JWT or API key (401; a missing or bad one
 * also counts against the client address, 429 past AUTH_RATE_LIMIT_PER_MINUTE), caps the
 * credential's scopes by its owner's role and checks the route's (403), then counts the request
 * against the credential's rate limit (429).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: CredentialVerifier,
    private readonly rateLimiter: CredentialRateLimiter,
    private readonly addressLimiter: AddressRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (this.reflector.getAllAndOverride<boolean>(LIMITED_BY_ADDRESS, targets)) await this.addressLimiter.consume(clientAddress(request));
      return true;
    }

    const response = context.switchToHttp().getResponse<Response>();
    const credential = extractCredential(request);
    if (!credential) {
      await this.addressLimiter.consume(clientAddress(request));
      throw ApiError.unauthorized('Send a credential: Authorization: Bearer <token or API key>, or X-API-Key', 'missing_credential');
    }
    const verified = await this.authenticate(credential, request);
    const principal: Principal = { ...verified, scopes: capScopes(verified.scopes, verified.role) };
    // a session holds its user's current list and budget (a key's came with its verification)
    if (principal.kind === 'jwt') {
      const governance = await this.verifier.sessionGovernance(principal.userId);
      principal.allowedModels = governance.allowedModels;
      principal.budget = governance.budget;
    }

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

  /** A known credential costs nothing (not even working out the client's address); an address out of budget gets no lookup; a bad one is counted. */
  private async authenticate(credential: string, request: Request): Promise<Principal> {
    let principal = this.verifier.verifyLocally(credential);
    if (principal === undefined) {
      await this.addressLimiter.assertNotExhausted(clientAddress(request));
      principal = await this.verifier.verify(credential);
    }
    if (principal) return principal;
    await this.addressLimiter.consume(clientAddress(request));
    throw ApiError.unauthorized('The credential is invalid, expired or revoked');
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

/**
 * The client as Express sees it (X-Forwarded-For counts only when the peer is a trusted proxy,
 * TRUSTED_PROXIES), as per-address budgets count it: an IPv6 client by its /64.
 */
export function clientAddress(request: Request): string {
  return addressBucket(normalizeAddress(request.ip ?? request.socket?.remoteAddress));
}

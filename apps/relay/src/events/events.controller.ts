import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '@ish/contracts';
import { capScopes, CredentialVerifier, extractCredential, VerifiedCredential } from '@ish/auth-guard';
import { ApiError, RequireScopes } from '@ish/platform';
import { EventHub } from './event-hub';

@ApiTags('relay')
@ApiBearerAuth()
@RequireScopes('chat')
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly hub: EventHub,
    private readonly verifier: CredentialVerifier,
  ) {}

  /**
   * Server-Sent Events of the caller's own events (admins also get system events), for as long as the
   * credential stands: revoked, expired, or its user's role or scopes changed, the stream ends.
   */
  @Get()
  @RequireScopes('chat')
  async stream(@Req() req: Request, @Res() res: Response): Promise<void> {
    // the guard let it in; the stream needs the credential's expiry too, and checks it again after each revocation
    const credential = extractCredential(req);
    const verified = credential ? capped(await this.verifier.verifyCredential(credential)) : null;
    if (!credential || !verified) throw ApiError.unauthorized('The credential is invalid, expired or revoked');
    const opened = verified.principal;
    const stillValid = async () => sameGrant(opened, capped(await this.verifier.verifyCredential(credential))?.principal);
    await this.hub.open(verified, stillValid, res);
  }
}

/** the principal as the guard sees it: a key's scopes capped by its owner's role */
function capped(verified: VerifiedCredential | null): VerifiedCredential | null {
  return verified && { ...verified, principal: { ...verified.principal, scopes: capScopes(verified.principal.scopes, verified.principal.role) } };
}

/** the same credential still stands for the same user with the same role and scopes */
function sameGrant(opened: Principal, now: Principal | undefined): boolean {
  return (
    now !== undefined &&
    now.userId === opened.userId &&
    now.credentialId === opened.credentialId &&
    now.role === opened.role &&
    now.scopes.length === opened.scopes.length &&
    now.scopes.every((scope) => opened.scopes.includes(scope))
  );
}

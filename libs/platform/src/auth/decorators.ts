import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Scope } from '@ish/contracts';

export const IS_PUBLIC = 'ish:public';
export const REQUIRED_SCOPES = 'ish:scopes';
export const LIMITED_BY_ADDRESS = 'ish:limited-by-address';

/** No credential needed (login, register, health). Everything else is authenticated by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * A public route that costs the system real work (a password hash, a fan-out to every service):
 * counted against the caller's address (AUTH_RATE_LIMIT_PER_MINUTE) like a failed authentication.
 */
export const LimitedByAddress = () => SetMetadata(LIMITED_BY_ADDRESS, true);

/** The credential must hold one of these scopes (`admin` holds them all). */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The verified caller of this request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AddressRateLimiter } from './address-rate-limiter';
import { AuthGuard } from './auth.guard';
import { CredentialVerifier } from './credential-verifier';
import { CredentialRateLimiter } from './rate-limiter';
import { RevocationListener } from './revocation.listener';

/** Import once in an app: every route is authenticated unless marked @Public(). */
@Global()
@Module({
  controllers: [RevocationListener],
  providers: [CredentialVerifier, CredentialRateLimiter, AddressRateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [CredentialVerifier, CredentialRateLimiter, AddressRateLimiter],
})
export class AuthGuardModule {}

import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CredentialChanged, CredentialRevoked, EVENTS } from '@ish/contracts';
import { CredentialVerifier } from './credential-verifier';

/** Every process of every service hears every revocation (a queue of its own). */
@Controller()
export class RevocationListener {
  constructor(private readonly verifier: CredentialVerifier) {}

  @EventPattern(EVENTS.credentialRevoked, { broadcast: true })
  onCredentialRevoked(@Payload() event: CredentialRevoked): void {
    this.verifier.applyRevocation(event);
  }

  /** a key's or user's allowedModels changed: cached copies are dropped, the next request sees the change */
  @EventPattern(EVENTS.credentialChanged, { broadcast: true })
  onCredentialChanged(@Payload() event: CredentialChanged): void {
    this.verifier.applyChange(event);
  }
}

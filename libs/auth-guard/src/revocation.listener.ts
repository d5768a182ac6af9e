import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CredentialRevoked, EVENTS } from '@ish/contracts';
import { CredentialVerifier } from './credential-verifier';

/** Every process of every service hears every revocation (a queue of its own). */
@Controller()
export class RevocationListener {
  constructor(private readonly verifier: CredentialVerifier) {}

  @EventPattern(EVENTS.credentialRevoked, { broadcast: true })
  onCredentialRevoked(@Payload() event: CredentialRevoked): void {
    this.verifier.applyRevocation(event);
  }
}

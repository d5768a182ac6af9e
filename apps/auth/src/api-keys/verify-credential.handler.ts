import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, VerifyApiKeyRequest } from '@ish/contracts';
import type { VerifiedApiKey } from '@ish/auth-guard';
import { ApiKeysService } from './api-keys.service';

@Controller()
export class VerifyCredentialHandler {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** every service's guard asks once per key, then caches the answer until a revocation */
  @MessagePattern(RPC.authVerifyCredential)
  verify(@Payload() request: VerifyApiKeyRequest): Promise<VerifiedApiKey | null> {
    return this.apiKeys.verify(request.keyHash);
  }
}

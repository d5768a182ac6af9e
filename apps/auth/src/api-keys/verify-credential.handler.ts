import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, UserModelsRequest, VerifyApiKeyRequest } from '@ish/contracts';
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

  /** a session's allowedModels: every service's guard asks once per user, then caches it until `credential.changed` */
  @MessagePattern(RPC.authUserModels)
  userModels(@Payload() request: UserModelsRequest): Promise<{ allowedModels: string[] | null }> {
    return this.apiKeys.userAllowedModels(request.userId);
  }
}

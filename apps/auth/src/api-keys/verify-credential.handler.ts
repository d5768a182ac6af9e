import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, UserGovernance, UserModelsRequest, VerifyApiKeyRequest } from '@ish/contracts';
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

  /** a session's allowedModels and budget: every service's guard asks once per user, then caches them until `credential.changed` */
  @MessagePattern(RPC.authUserModels)
  userModels(@Payload() request: UserModelsRequest): Promise<UserGovernance> {
    return this.apiKeys.userGovernance(request.userId);
  }
}

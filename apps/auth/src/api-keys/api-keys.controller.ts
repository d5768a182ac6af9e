import { Body, Controller, Delete, Get, HttpCode, Ip, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateApiKeyRequest, Principal, UpdateApiKeyRequest } from '@ish/contracts';
import { CurrentPrincipal } from '@ish/platform';
import { ModelWarnings } from '../models/model-catalog';
import { ApiKeysService, ApiKeyView } from './api-keys.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/auth/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** the full key is in this answer only */
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyRequest, @Ip() ip: string): Promise<ApiKeyView & { key: string } & ModelWarnings> {
    return this.apiKeys.create(principal, body, ip);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.apiKeys.list(principal);
  }

  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateApiKeyRequest, @Ip() ip: string): Promise<ApiKeyView & ModelWarnings> {
    return this.apiKeys.update(principal, id, body, ip);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Ip() ip: string): Promise<void> {
    return this.apiKeys.revoke(principal, id, ip);
  }
}

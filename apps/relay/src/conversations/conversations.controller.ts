import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@ish/contracts';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { ConversationStore } from '@ish/relay-core';

@ApiTags('relay')
@ApiBearerAuth()
@RequireScopes('chat')
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(private readonly store: ConversationStore) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.store.list(principal.userId);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.store.view(principal.userId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.store.remove(principal.userId, id);
  }
}

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
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.store.conversations.find({ where: { userId: principal.userId }, order: { updatedAt: 'DESC' }, take: 100 });
    return rows.map((c) => ({ id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt }));
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    const conversation = await this.store.owned(principal.userId, id);
    const messages = await this.store.messages.find({ where: { conversationId: id }, order: { createdAt: 'ASC' } });
    return {
      id: conversation.id,
      title: conversation.title,
      systemPrompt: conversation.systemPrompt,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      messages: messages.map((m) => ({ id: m.id, role: m.role, content: m.content, model: m.model, createdAt: m.createdAt })),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.store.owned(principal.userId, id);
    await this.store.conversations.delete({ id, userId: principal.userId });
  }
}

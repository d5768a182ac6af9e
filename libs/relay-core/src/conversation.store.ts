import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ChatMessage } from '@ish/contracts';
import { ConversationEntity, MessageEntity } from '@ish/database';
import { ApiError } from '@ish/platform';
import { RelayCoreConfig } from './relay-core.config';

/** Conversations and their messages in Postgres, always scoped to their owner. */
@Injectable()
export class ConversationStore {
  constructor(
    @InjectRepository(ConversationEntity) readonly conversations: Repository<ConversationEntity>,
    @InjectRepository(MessageEntity) readonly messages: Repository<MessageEntity>,
    private readonly config: RelayCoreConfig,
  ) {}

  /** The user's conversation, or 404 — also when it exists but belongs to someone else. */
  async owned(userId: string, id: string): Promise<ConversationEntity> {
    const conversation = await this.conversations.findOne({ where: { id, userId } });
    if (!conversation) throw ApiError.notFound('No such conversation', 'conversation_not_found');
    return conversation;
  }

  async open(userId: string, id: string | undefined, firstMessage: string, systemPrompt?: string): Promise<ConversationEntity> {
    if (id) return this.owned(userId, id);
    return this.conversations.save(this.conversations.create({ userId, title: firstMessage.slice(0, 80), systemPrompt: systemPrompt ?? null }));
  }

  /** The prompt for a new user message: system prompt, recent history, the message. */
  async prompt(conversation: ConversationEntity, message: string, systemPrompt?: string): Promise<ChatMessage[]> {
    const history = this.config.CONVERSATION_HISTORY_MESSAGES
      ? await this.messages.find({ where: { conversationId: conversation.id }, order: { createdAt: 'DESC' }, take: this.config.CONVERSATION_HISTORY_MESSAGES })
      : [];
    const system = systemPrompt ?? conversation.systemPrompt;
    return [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...history.reverse().map((m) => ({ role: m.role as ChatMessage['role'], content: m.content })),
      { role: 'user', content: message },
    ];
  }

  async append(conversationId: string, message: Partial<MessageEntity> & { role: ChatMessage['role']; content: string }): Promise<void> {
    await this.messages.insert({ conversationId, ...message });
    await this.conversations.update({ id: conversationId }, { updatedAt: new Date() });
  }
}

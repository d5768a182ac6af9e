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

  /** `GET /api/v1/conversations`: the user's newest 100 conversations, without their messages. */
  async list(userId: string) {
    const rows = await this.conversations.find({ where: { userId }, order: { updatedAt: 'DESC' }, take: 100 });
    return rows.map((c) => ({ id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt }));
  }

  /** `GET /api/v1/conversations/{id}`: the user's conversation with its messages, oldest first (404 when not theirs). */
  async view(userId: string, id: string) {
    const conversation = await this.owned(userId, id);
    const messages = await this.messages.find({ where: { conversationId: id }, order: { createdAt: 'ASC' } });
    return {
      id: conversation.id,
      title: conversation.title,
      systemPrompt: conversation.systemPrompt,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      messages: messages.map((m) => ({ id: m.id, role: m.role, content: m.content, model: m.model, createdAt: m.createdAt })),
    };
  }

  /** Deletes the user's conversation and its messages (404 when not theirs). */
  async remove(userId: string, id: string): Promise<void> {
    await this.owned(userId, id);
    await this.conversations.delete({ id, userId });
  }

  /**
   * Records the user's message and returns the prompt to send: system prompt, recent history, the
   * message. A new conversation and its first message are one statement; an existing one (404 when
   * it is someone else's) costs a read of its history and one statement more.
   */
  async begin(userId: string, conversationId: string | undefined, message: string, systemPrompt?: string): Promise<{ conversationId: string; messages: ChatMessage[] }> {
    const prompt = (system: string | null | undefined, history: ChatMessage[]): ChatMessage[] => [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...history,
      { role: 'user', content: message },
    ];
    if (!conversationId) {
      const [row] = (await this.conversations.manager.query(
        `WITH c AS (INSERT INTO conversations (user_id, title, system_prompt) VALUES ($1, $2, $3) RETURNING id)
         INSERT INTO messages (conversation_id, role, content) SELECT id, 'user', $4 FROM c RETURNING conversation_id`,
        [userId, message.slice(0, 80), systemPrompt ?? null, message],
      )) as { conversation_id: string }[];
      return { conversationId: row.conversation_id, messages: prompt(systemPrompt, []) };
    }
    const conversation = await this.owned(userId, conversationId);
    const history = this.config.CONVERSATION_HISTORY_MESSAGES
      ? await this.messages.find({ where: { conversationId }, order: { createdAt: 'DESC' }, take: this.config.CONVERSATION_HISTORY_MESSAGES })
      : [];
    await this.append(conversationId, { role: 'user', content: message });
    const past = history.reverse().map((m) => ({ role: m.role as ChatMessage['role'], content: m.content }));
    return { conversationId, messages: prompt(systemPrompt ?? conversation.systemPrompt, past) };
  }

  /** Adds a message and touches the conversation, in one statement. */
  async append(
    conversationId: string,
    message: { role: ChatMessage['role']; content: string; model?: string | null; instanceId?: string | null; promptTokens?: number | null; completionTokens?: number | null },
  ): Promise<void> {
    await this.conversations.manager.query(
      `WITH m AS (INSERT INTO messages (conversation_id, role, content, model, instance_id, prompt_tokens, completion_tokens) VALUES ($1, $2, $3, $4, $5, $6, $7))
       UPDATE conversations SET updated_at = now() WHERE id = $1`,
      [conversationId, message.role, message.content, message.model ?? null, message.instanceId ?? null, message.promptTokens ?? null, message.completionTokens ?? null],
    );
  }
}

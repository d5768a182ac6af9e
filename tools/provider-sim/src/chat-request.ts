import { invalidRequest, modelNotFound, SimError } from './openai-error';

export interface ChatMessage {
  role: string;
  text: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
}

export type ChatRequestResult = { ok: true; request: ChatRequest } | { ok: false; error: SimError };

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message's content: a string, or the text parts of a content-part array. */
function contentText(content: unknown, role: string): string | undefined {
  if (typeof content === 'string') return content;
  // An assistant message that only carries tool calls has no content.
  if ((content === null || content === undefined) && role === 'assistant') return '';
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (!isObject(part) || typeof part.type !== 'string') return undefined;
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join(' ');
}

function parseMessages(value: unknown): ChatMessage[] | SimError {
  if (!Array.isArray(value) || value.length === 0) {
    return invalidRequest("'messages' must be a non-empty array of {role, content}", 'messages');
  }
  const messages: ChatMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const message: unknown = value[i];
    if (!isObject(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      return invalidRequest(`'messages[${i}].role' must be one of ${[...ROLES].join(', ')}`, `messages[${i}].role`);
    }
    const text = contentText(message.content, message.role);
    if (text === undefined) {
      return invalidRequest(`'messages[${i}].content' must be a string or an array of content parts`, `messages[${i}].content`);
    }
    messages.push({ role: message.role, text });
  }
  return messages;
}

function parseMaxTokens(body: Record<string, unknown>): number | undefined | SimError {
  for (const param of ['max_completion_tokens', 'max_tokens']) {
    const value = body[param];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || (value as number) < 1) return invalidRequest(`'${param}' must be an integer >= 1`, param);
    return value as number;
  }
  return undefined;
}

function isSimError(value: unknown): value is SimError {
  return isObject(value) && typeof value.status === 'number' && isObject(value.body);
}

export function parseChatRequest(body: unknown, models: ReadonlySet<string>): ChatRequestResult {
  if (!isObject(body)) return { ok: false, error: invalidRequest('Request body must be a JSON object') };
  if (typeof body.model !== 'string' || body.model === '') {
    return { ok: false, error: invalidRequest("'model' is required and must be a string", 'model') };
  }
  const messages = parseMessages(body.messages);
  if (isSimError(messages)) return { ok: false, error: messages };

  const { temperature, stream, n } = body;
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) {
      return { ok: false, error: invalidRequest("'temperature' must be a number between 0 and 2", 'temperature') };
    }
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return { ok: false, error: invalidRequest("'stream' must be a boolean", 'stream') };
  }
  if (n !== undefined && n !== null && n !== 1) {
    return { ok: false, error: invalidRequest('provider-sim only supports n = 1', 'n') };
  }
  const maxTokens = parseMaxTokens(body);
  if (isSimError(maxTokens)) return { ok: false, error: maxTokens };
  if (!models.has(body.model)) return { ok: false, error: modelNotFound(body.model) };

  const streamOptions = body.stream_options;
  const includeUsage = stream === true && isObject(streamOptions) && streamOptions.include_usage === true;
  return { ok: true, request: { model: body.model, messages, stream: stream === true, includeUsage, maxTokens } };
}

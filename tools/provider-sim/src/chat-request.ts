import { invalidRequest, modelNotFound, SimError } from './openai-error';

export interface ChatMessage {
  role: string;
  text: string;
}

/** A function tool as offered: its name and JSON schema. */
export interface OfferedTool {
  name: string;
  parameters: unknown;
}

/** `none`, `auto`, `required`, or the name of the one tool a forced choice names. */
export type ToolChoice = 'none' | 'auto' | 'required' | { name: string };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  tools?: OfferedTool[];
  toolChoice?: ToolChoice;
  /** false only when the request says so */
  parallelToolCalls?: boolean;
  /** choices to answer (OpenAI's `n`) */
  n?: number;
  /** `logprobs: true`, with `top_logprobs` alternatives per token */
  logprobs?: { top: number };
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

export const MAX_CHOICES = 128;

function parseTools(body: Record<string, unknown>): OfferedTool[] | undefined | SimError {
  const { tools } = body;
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) return invalidRequest("'tools' must be an array", 'tools');
  const offered: OfferedTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i];
    const fn = isObject(tool) && tool.type === 'function' && isObject(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== 'string' || fn.name === '') return invalidRequest(`'tools[${i}]' must be {type: "function", function: {name, parameters?}}`, `tools[${i}]`);
    offered.push({ name: fn.name, parameters: fn.parameters });
  }
  return offered;
}

function parseToolChoice(body: Record<string, unknown>, tools: OfferedTool[] | undefined): ToolChoice | undefined | SimError {
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  const name = isObject(choice) && choice.type === 'function' && isObject(choice.function) ? choice.function.name : undefined;
  if (typeof name !== 'string') return invalidRequest("'tool_choice' must be none, auto, required or {type: \"function\", function: {name}}", 'tool_choice');
  if (!tools?.some((tool) => tool.name === name)) return invalidRequest(`'tool_choice' names ${name}, which is not among the tools`, 'tool_choice');
  return { name };
}

function parseLogprobs(body: Record<string, unknown>): { top: number } | undefined | SimError {
  const { logprobs, top_logprobs } = body;
  if (logprobs !== undefined && logprobs !== null && typeof logprobs !== 'boolean') return invalidRequest("'logprobs' must be a boolean", 'logprobs');
  if (top_logprobs !== undefined && top_logprobs !== null) {
    if (!Number.isInteger(top_logprobs) || (top_logprobs as number) < 0 || (top_logprobs as number) > 20) return invalidRequest("'top_logprobs' must be an integer between 0 and 20", 'top_logprobs');
    if (logprobs !== true) return invalidRequest("'top_logprobs' needs 'logprobs' set to true", 'top_logprobs');
  }
  return logprobs === true ? { top: (top_logprobs as number | undefined) ?? 0 } : undefined;
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
  if (n !== undefined && n !== null && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > MAX_CHOICES)) {
    return { ok: false, error: invalidRequest(`'n' must be an integer between 1 and ${MAX_CHOICES}`, 'n') };
  }
  const tools = parseTools(body);
  if (isSimError(tools)) return { ok: false, error: tools };
  const toolChoice = parseToolChoice(body, tools);
  if (isSimError(toolChoice)) return { ok: false, error: toolChoice };
  const logprobs = parseLogprobs(body);
  if (isSimError(logprobs)) return { ok: false, error: logprobs };
  const maxTokens = parseMaxTokens(body);
  if (isSimError(maxTokens)) return { ok: false, error: maxTokens };
  if (!models.has(body.model)) return { ok: false, error: modelNotFound(body.model) };

  const streamOptions = body.stream_options;
  const includeUsage = stream === true && isObject(streamOptions) && streamOptions.include_usage === true;
  return {
    ok: true,
    request: {
      model: body.model,
      messages,
      stream: stream === true,
      includeUsage,
      maxTokens,
      ...(tools ? { tools } : {}),
      ...(toolChoice ? { toolChoice } : {}),
      ...(body.parallel_tool_calls === false ? { parallelToolCalls: false } : {}),
      ...(typeof n === 'number' && n > 1 ? { n } : {}),
      ...(logprobs ? { logprobs } : {}),
    },
  };
}

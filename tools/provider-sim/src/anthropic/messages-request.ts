import { anthropicError, AnthropicSimError, invalidRequest } from './anthropic-error';

export const ANTHROPIC_VERSIONS = ['2023-06-01', '2026-10-21'] as const;
export type AnthropicVersion = (typeof ANTHROPIC_VERSIONS)[number];

type Json = Record<string, unknown>;
export type Block = Json & { type: string };

export interface InputMessage {
  role: 'user' | 'assistant' | 'system';
  blocks: Block[];
}

export interface OfferedTool {
  name: string;
  input_schema: unknown;
}

export interface MessagesRequest {
  model: string;
  maxTokens: number;
  system: string;
  messages: InputMessage[];
  stream: boolean;
  tools: OfferedTool[];
  toolChoice: { type: string; name?: string; disable_parallel_tool_use?: boolean } | undefined;
  thinking: boolean;
  stopSequences: string[];
}

const BLOCKS_BY_ROLE: Record<InputMessage['role'], ReadonlySet<string>> = {
  user: new Set(['text', 'image', 'document', 'tool_result', 'search_result']),
  assistant: new Set(['text', 'tool_use', 'thinking', 'redacted_thinking', 'server_tool_use']),
  system: new Set(['text']),
};
const MIN_THINKING_BUDGET = 1024;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isAnthropicVersion(value: unknown): value is AnthropicVersion {
  return typeof value === 'string' && (ANTHROPIC_VERSIONS as readonly string[]).includes(value);
}

/** A string content is shorthand for one text block, as Anthropic reads it. */
function blocksOf(content: unknown, path: string): Block[] | AnthropicSimError {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return invalidRequest(`${path}: Input should be a valid string or list`);
  const blocks: Block[] = [];
  for (let j = 0; j < content.length; j++) {
    const block: unknown = content[j];
    if (!isObject(block) || typeof block.type !== 'string') return invalidRequest(`${path}.${j}.type: Field required`);
    if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) return invalidRequest(`${path}.${j}.text: text content blocks must be non-empty`);
    blocks.push(block as Block);
  }
  return blocks;
}

function parseMessages(value: unknown, version: AnthropicVersion): InputMessage[] | AnthropicSimError {
  if (!Array.isArray(value)) return invalidRequest('messages: Field required');
  if (value.length === 0) return invalidRequest('messages: at least one message is required');
  const roles = version === '2023-06-01' ? ['user', 'assistant'] : ['user', 'assistant', 'system'];
  const messages: InputMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const message: unknown = value[i];
    if (!isObject(message) || !roles.includes(message.role as string)) {
      return invalidRequest(`messages.${i}.role: Input should be ${roles.map((r) => `'${r}'`).join(' or ')}`);
    }
    const role = message.role as InputMessage['role'];
    const blocks = blocksOf(message.content, `messages.${i}.content`);
    if (!Array.isArray(blocks)) return blocks;
    const wrong = blocks.findIndex((block) => !BLOCKS_BY_ROLE[role].has(block.type) && !(version === '2023-06-01' && role === 'assistant' && block.type === 'document'));
    if (wrong !== -1) return invalidRequest(`messages.${i}.content.${wrong}.type: ${role === 'assistant' ? 'an' : 'a'} ${role} message cannot hold a \`${blocks[wrong].type}\` block`);
    // 2026-10-21 refuses citations a client put on its own text
    const cited = version === '2023-06-01' || role !== 'user' ? -1 : blocks.findIndex((block) => block.type === 'text' && Array.isArray(block.citations) && block.citations.length > 0);
    if (cited !== -1) return invalidRequest(`messages.${i}.content.${cited}.citations: text blocks in user messages cannot carry citations`);
    if (role === 'system' && (i === 0 || messages[i - 1].role !== 'user' || (i + 1 < value.length && (value[i + 1] as Json)?.role !== 'assistant'))) {
      return invalidRequest(`messages.${i}: a system message must follow a user message and be last or followed by an assistant message`);
    }
    messages.push({ role, blocks });
  }
  return checkToolPairs(messages) ?? messages;
}

/** Every tool_result answers a tool_use of the assistant turn just before it, and every tool_use gets its result. */
function checkToolPairs(messages: InputMessage[]): AnthropicSimError | undefined {
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const previous = messages[i - 1];
    const offered = new Set(previous?.role === 'assistant' ? previous.blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id)) : []);
    for (let j = 0; j < message.blocks.length; j++) {
      const block = message.blocks[j];
      if (block.type === 'tool_result' && !offered.has(String(block.tool_use_id))) {
        return invalidRequest(
          `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
      }
    }
  }
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const next = messages[i + 1];
    if (message.role === 'assistant' && next) {
      const answered = new Set(next.blocks.filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id)));
      const missing = message.blocks.filter((b) => b.type === 'tool_use' && !answered.has(String(b.id))).map((b) => String(b.id));
      if (missing.length > 0) {
        return invalidRequest(`messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      }
    }
  }
  return undefined;
}

function parseSystem(value: unknown): string | AnthropicSimError {
  if (value === undefined) return '';
  const blocks = blocksOf(value, 'system');
  if (!Array.isArray(blocks)) return blocks;
  if (blocks.some((block) => block.type !== 'text')) return invalidRequest('system: Input should be a valid string or a list of text blocks');
  return blocks.map((block) => block.text as string).join(' ');
}

function parseTools(value: unknown): OfferedTool[] | AnthropicSimError {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return invalidRequest('tools: Input should be a valid list');
  const tools: OfferedTool[] = [];
  for (let i = 0; i < value.length; i++) {
    const tool: unknown = value[i];
    if (!isObject(tool) || typeof tool.name !== 'string' || tool.name === '') return invalidRequest(`tools.${i}.name: Field required`);
    // server tools (web_search_…, code_execution_…) have a versioned type and no input_schema: the simulator never calls them
    if (tool.type !== undefined && tool.type !== 'custom') continue;
    if (!isObject(tool.input_schema)) return invalidRequest(`tools.${i}.input_schema: Field required`);
    tools.push({ name: tool.name, input_schema: tool.input_schema });
  }
  return tools;
}

function parseToolChoice(value: unknown, tools: OfferedTool[]): MessagesRequest['toolChoice'] | AnthropicSimError {
  if (value === undefined) return undefined;
  if (!isObject(value) || !['auto', 'any', 'tool', 'none'].includes(value.type as string)) {
    return invalidRequest("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  }
  if (value.type === 'tool' && !tools.some((tool) => tool.name === value.name)) return invalidRequest(`tool_choice.name: no tool named ${String(value.name)} was offered`);
  return value as MessagesRequest['toolChoice'];
}

/** Version rules: 2026-10-21 removed the sampling parameters; 2023-06-01 takes temperature 0–1. */
function checkSampling(body: Json, version: AnthropicVersion): AnthropicSimError | undefined {
  for (const param of ['temperature', 'top_p', 'top_k']) {
    const value = body[param];
    if (value === undefined) continue;
    if (version !== '2023-06-01') return invalidRequest(`${param}: Extra inputs are not permitted`);
    const max = param === 'top_k' ? Number.MAX_SAFE_INTEGER : 1;
    if (typeof value !== 'number' || value < 0 || value > max) return invalidRequest(`${param}: Input should be ${param === 'top_k' ? 'a positive integer' : 'between 0 and 1'}`);
  }
  return undefined;
}

function parseThinking(value: unknown, maxTokens: number | undefined): boolean | AnthropicSimError {
  if (value === undefined) return false;
  if (!isObject(value) || !['enabled', 'disabled', 'adaptive', 'between_tools'].includes(value.type as string)) {
    return invalidRequest("thinking.type: Input should be 'enabled', 'disabled', 'adaptive' or 'between_tools'");
  }
  if (value.type === 'enabled') {
    const budget = value.budget_tokens;
    if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < MIN_THINKING_BUDGET) return invalidRequest(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
    if (maxTokens !== undefined && budget >= maxTokens) return invalidRequest('`max_tokens` must be greater than `thinking.budget_tokens`');
  }
  return value.type !== 'disabled';
}

/** What Anthropic refuses next to thinking: a forced tool, a temperature other than 1, a top_p below 0.95. */
function thinkingConflict(body: Json, toolChoice: MessagesRequest['toolChoice']): AnthropicSimError | undefined {
  if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') return invalidRequest('Thinking may not be enabled when tool_choice forces tool use.');
  if (body.temperature !== undefined && body.temperature !== 1) return invalidRequest('`temperature` may only be set to 1 when thinking is enabled.');
  if (typeof body.top_p === 'number' && body.top_p < 0.95) return invalidRequest('`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.');
  return undefined;
}

/**
 * A Messages request checked as Anthropic checks it; `countTokens` for /v1/messages/count_tokens,
 * which takes no max_tokens.
 */
export function parseMessagesRequest(
  body: unknown,
  version: AnthropicVersion,
  models: ReadonlySet<string>,
  countTokens = false,
): MessagesRequest | AnthropicSimError {
  if (!isObject(body)) return invalidRequest('The request body is not valid JSON.');
  if (typeof body.model !== 'string' || body.model === '') return invalidRequest('model: Field required');
  const maxTokens = body.max_tokens;
  if (!countTokens) {
    if (maxTokens === undefined) return invalidRequest('max_tokens: Field required');
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 0) return invalidRequest('max_tokens: Input should be a valid integer greater than or equal to 0');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return invalidRequest('stream: Input should be a valid boolean');
  const sampling = checkSampling(body, version);
  if (sampling) return sampling;
  const messages = parseMessages(body.messages, version);
  if (!Array.isArray(messages)) return messages;
  const system = parseSystem(body.system);
  if (typeof system !== 'string') return system;
  const tools = parseTools(body.tools);
  if (!Array.isArray(tools)) return tools;
  const toolChoice = parseToolChoice(body.tool_choice, tools);
  if (toolChoice && 'status' in toolChoice) return toolChoice as AnthropicSimError;
  const thinking = parseThinking(body.thinking, countTokens ? undefined : (maxTokens as number));
  if (typeof thinking !== 'boolean') return thinking;
  const conflict = thinking ? thinkingConflict(body, toolChoice as MessagesRequest['toolChoice']) : undefined;
  if (conflict) return conflict;
  const stop = body.stop_sequences;
  if (stop !== undefined && (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s.trim() === ''))) {
    return invalidRequest('stop_sequences: each stop sequence must be a string with non-whitespace characters');
  }
  if (!models.has(body.model)) return anthropicError('not_found_error', `model: ${body.model}`);
  return {
    model: body.model,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : 0,
    system,
    messages,
    stream: body.stream === true,
    tools,
    toolChoice: toolChoice as MessagesRequest['toolChoice'],
    thinking,
    stopSequences: (stop as string[] | undefined) ?? [],
  };
}

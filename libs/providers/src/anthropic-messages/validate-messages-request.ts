import { invalidRequest, type AnthropicErrorResponse } from './anthropic-errors';
import {
  ANTHROPIC_VERSIONS,
  DEFAULT_ANTHROPIC_VERSION,
  type AnthropicVersion,
  type CountTokensRequest,
  type MessagesRequest,
} from './messages-request';
import { LEGACY_SAMPLING_FIELDS, MESSAGES_CREATE_FIELDS } from './messages-fields';

/** One reason the request is refused, as Anthropic words it: a dotted path and what is wrong there. */
export interface MessagesProblem {
  path: string;
  message: string;
}

export type MessagesValidation<T> = { ok: true; request: T } | { ok: false; problems: MessagesProblem[] };

export interface MessagesValidationOptions {
  version: AnthropicVersion;
  /** the request's `anthropic-beta` values: a beta may add top-level fields we do not know, so those pass */
  betas?: readonly string[];
}

/** `anthropic-version` → the version, or the 400 Anthropic answers to one it does not know. */
export function resolveAnthropicVersion(header: string | undefined): { ok: true; version: AnthropicVersion } | { ok: false; error: AnthropicErrorResponse } {
  if (header === undefined || header.trim() === '') return { ok: true, version: DEFAULT_ANTHROPIC_VERSION };
  const value = header.trim();
  if ((ANTHROPIC_VERSIONS as readonly string[]).includes(value)) return { ok: true, version: value as AnthropicVersion };
  return {
    ok: false,
    error: invalidRequest(`anthropic-version: "${value}" is not a valid version; use one of ${ANTHROPIC_VERSIONS.join(', ')}`, 'invalid_anthropic_version'),
  };
}

/** The 400 for a refused request: Anthropic names one problem per answer, the first. */
export function messagesValidationError(problems: readonly MessagesProblem[]): AnthropicErrorResponse {
  const first = problems[0] ?? { path: 'body', message: 'invalid request' };
  return invalidRequest(`${first.path}: ${first.message}`, 'validation_error');
}

const CREATE_FIELDS = new Set(MESSAGES_CREATE_FIELDS);
const COUNT_TOKENS_FIELDS = new Set(['model', 'messages', 'system', 'thinking', 'tool_choice', 'tools', 'cache_control', 'output_config', 'speed']);

/** Every content block type a request may carry (the SDK's `ContentBlockParam`). */
const CONTENT_BLOCK_TYPES = [
  'text',
  'image',
  'document',
  'search_result',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'tool_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
] as const;
const TOOL_RESULT_CONTENT_TYPES = ['text', 'image', 'search_result', 'document', 'tool_reference', 'browser_state'] as const;
/** Blocks only the model writes: they belong in assistant turns. */
const ASSISTANT_ONLY_TYPES = new Set(['thinking', 'redacted_thinking', 'tool_use', 'server_tool_use']);

/** Server and Anthropic-defined tools by `type` (the SDK's `ToolUnion`); a custom tool has no type or `custom`. */
const ANTHROPIC_TOOL_TYPES = new Set([
  'bash_20250124',
  'code_execution_20250522',
  'code_execution_20250825',
  'code_execution_20260120',
  'code_execution_20260521',
  'browser_20260801',
  'memory_20250818',
  'computer_20260801',
  'text_editor_20250124',
  'text_editor_20250429',
  'text_editor_20250728',
  'web_search_20250305',
  'web_fetch_20250910',
  'web_search_20260209',
  'web_fetch_20260209',
  'web_fetch_20260309',
  'web_search_20260318',
  'web_fetch_20260318',
  'tool_search_tool_bm25_20251119',
  'tool_search_tool_regex_20251119',
]);
const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const tags = (list: readonly string[]) => list.map((t) => `'${t}'`).join(', ');

/** Validates a `POST /v1/messages` body the way the Messages API does for the given `anthropic-version`. */
export function validateMessagesRequest(body: unknown, options: MessagesValidationOptions): MessagesValidation<MessagesRequest> {
  return new RequestChecker(options, 'create').check(body) as MessagesValidation<MessagesRequest>;
}

/** Validates a `POST /v1/messages/count_tokens` body (no `max_tokens`, no sampling, no `stream`). */
export function validateCountTokensRequest(body: unknown, options: MessagesValidationOptions): MessagesValidation<CountTokensRequest> {
  return new RequestChecker(options, 'count_tokens').check(body) as MessagesValidation<CountTokensRequest>;
}

class RequestChecker {
  private readonly problems: MessagesProblem[] = [];

  constructor(
    private readonly options: MessagesValidationOptions,
    private readonly endpoint: 'create' | 'count_tokens',
  ) {}

  check(body: unknown): MessagesValidation<MessagesRequest | CountTokensRequest> {
    if (!isObject(body)) {
      this.fail('body', 'Input should be a valid dictionary');
      return { ok: false, problems: this.problems };
    }
    this.fields(body);
    if (typeof body['model'] !== 'string' || body['model'] === '') this.fail('model', body['model'] === undefined ? 'Field required' : 'Input should be a non-empty string');
    if (this.endpoint === 'create') this.maxTokens(body);
    this.messages(body['messages']);
    if (body['system'] !== undefined) this.textContent(body['system'], 'system');
    if (body['metadata'] !== undefined) this.metadata(body['metadata']);
    if (body['stop_sequences'] !== undefined) this.stopSequences(body['stop_sequences']);
    if (body['stream'] !== undefined && typeof body['stream'] !== 'boolean') this.fail('stream', 'Input should be a valid boolean');
    if (body['drop_params'] !== undefined && typeof body['drop_params'] !== 'boolean') this.fail('drop_params', 'Input should be a valid boolean');
    if (body['thinking'] !== undefined) this.thinking(body['thinking'], body['max_tokens']);
    const toolNames = body['tools'] !== undefined ? this.tools(body['tools']) : new Set<string>();
    if (body['tool_choice'] !== undefined) this.toolChoice(body['tool_choice'], toolNames);
    if (body['output_config'] !== undefined) this.outputConfig(body['output_config']);
    if (body['service_tier'] !== undefined && body['service_tier'] !== 'auto' && body['service_tier'] !== 'standard_only')
      this.fail('service_tier', "Input should be 'auto' or 'standard_only'");
    if (body['speed'] !== undefined && body['speed'] !== null && body['speed'] !== 'standard' && body['speed'] !== 'fast')
      this.fail('speed', "Input should be 'standard' or 'fast'");
    if (this.options.version === '2023-06-01' && this.endpoint === 'create') this.legacySampling(body);
    return this.problems.length ? { ok: false, problems: this.problems } : { ok: true, request: body as unknown as MessagesRequest };
  }

  private fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Unknown top-level fields are refused ("Extra inputs are not permitted"), as are sampling fields in 2026-10-21. */
  private fields(body: Json): void {
    const known = this.endpoint === 'create' ? CREATE_FIELDS : COUNT_TOKENS_FIELDS;
    const sampling = this.endpoint === 'create' && this.options.version === '2023-06-01';
    const beta = (this.options.betas?.length ?? 0) > 0;
    for (const key of Object.keys(body)) {
      if (known.has(key)) continue;
      if (sampling && (LEGACY_SAMPLING_FIELDS as readonly string[]).includes(key)) continue;
      if (beta && !(LEGACY_SAMPLING_FIELDS as readonly string[]).includes(key)) continue;
      this.fail(key, 'Extra inputs are not permitted');
    }
  }

  private maxTokens(body: Json): void {
    const value = body['max_tokens'];
    if (value === undefined) this.fail('max_tokens', 'Field required');
    else if (!isInteger(value)) this.fail('max_tokens', 'Input should be a valid integer');
    else if (value < 0) this.fail('max_tokens', 'Input should be greater than or equal to 0');
  }

  private legacySampling(body: Json): void {
    const temperature = body['temperature'];
    if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 1))
      this.fail('temperature', 'Input should be a number between 0 and 1');
    const topP = body['top_p'];
    if (topP !== undefined && (typeof topP !== 'number' || topP < 0 || topP > 1)) this.fail('top_p', 'Input should be a number between 0 and 1');
    const topK = body['top_k'];
    if (topK !== undefined && (!isInteger(topK) || topK < 0)) this.fail('top_k', 'Input should be an integer greater than or equal to 0');
  }

  private messages(messages: unknown): void {
    if (messages === undefined) return this.fail('messages', 'Field required');
    if (!Array.isArray(messages)) return this.fail('messages', 'Input should be a valid list');
    if (messages.length === 0) return this.fail('messages', 'at least one message is required');
    messages.forEach((message, i) => this.message(message, i, messages));
  }

  private message(message: unknown, i: number, messages: unknown[]): void {
    const path = `messages.${i}`;
    if (!isObject(message)) return this.fail(path, 'Input should be a valid dictionary');
    for (const key of Object.keys(message)) if (key !== 'role' && key !== 'content') this.fail(`${path}.${key}`, 'Extra inputs are not permitted');
    const role = message['role'];
    if (role !== 'user' && role !== 'assistant' && role !== 'system') return this.fail(`${path}.role`, "Input should be 'user', 'assistant' or 'system'");
    if (role === 'system') return this.systemMessage(message['content'], i, messages);
    const content = message['content'];
    const last = i === messages.length - 1;
    if (role === 'assistant' && last && endsWithWhitespace(content)) this.fail(path, 'final assistant content cannot end with trailing whitespace');
    if (typeof content === 'string') {
      if (content === '' && !(role === 'assistant' && last)) this.fail(path, 'all messages must have non-empty content except for the optional final assistant message');
      return;
    }
    if (!Array.isArray(content)) return this.fail(`${path}.content`, 'Input should be a valid string or list');
    if (content.length === 0 && !(role === 'assistant' && last)) this.fail(path, 'all messages must have non-empty content except for the optional final assistant message');
    const toolUseIds = role === 'user' ? previousToolUseIds(messages, i) : new Set<string>();
    content.forEach((block, j) => this.block(block, `${path}.content.${j}`, role, toolUseIds));
    if (role === 'assistant') this.toolUsesAnswered(content, i, messages);
  }

  /**
   * A `system` turn inside `messages` (mid-conversation system message): never first, right after a user
   * turn, and last or followed by an assistant turn; its content is text only.
   */
  private systemMessage(content: unknown, i: number, messages: unknown[]): void {
    const path = `messages.${i}`;
    this.textContent(content, `${path}.content`);
    if (i === 0) return this.fail(path, 'a system message cannot be the first message; use the top-level `system` parameter');
    const before = messages[i - 1];
    if (!isObject(before) || before['role'] !== 'user') this.fail(path, 'a system message must immediately follow a user message');
    const after = messages[i + 1];
    if (after !== undefined && (!isObject(after) || after['role'] !== 'assistant'))
      this.fail(path, 'a system message must be the last message or be followed by an assistant message');
  }

  /** `system` and system turns: a string or text blocks. */
  private textContent(content: unknown, path: string): void {
    if (typeof content === 'string') return;
    if (!Array.isArray(content)) return this.fail(path, 'Input should be a valid string or list');
    content.forEach((block, j) => {
      if (!isObject(block) || block['type'] !== 'text') return this.fail(`${path}.${j}`, "Input tag found using 'type' does not match any of the expected tags: 'text'");
      this.textBlock(block, `${path}.${j}`, 'system');
    });
  }

  private block(block: unknown, path: string, role: 'user' | 'assistant', toolUseIds: Set<string>): void {
    if (!isObject(block)) return this.fail(path, 'Input should be a valid dictionary');
    const type = block['type'];
    if (typeof type !== 'string') return this.fail(path, "Unable to extract tag using discriminator 'type'");
    if (!(CONTENT_BLOCK_TYPES as readonly string[]).includes(type))
      return this.fail(path, `Input tag '${type}' found using 'type' does not match any of the expected tags: ${tags(CONTENT_BLOCK_TYPES)}`);
    if (role === 'user' && ASSISTANT_ONLY_TYPES.has(type)) return this.fail(path, `\`${type}\` blocks can only be in \`assistant\` messages`);
    if (role === 'assistant' && type === 'tool_result') return this.fail(path, '`tool_result` blocks can only be in `user` messages');
    switch (type) {
      case 'text':
        return this.textBlock(block, path, role);
      case 'image':
        return this.imageBlock(block, path);
      case 'document':
        if (role === 'assistant' && this.options.version === '2026-10-21')
          return this.fail(path, '`document` blocks are not accepted in `assistant` messages in API version 2026-10-21');
        return this.documentBlock(block, path);
      case 'tool_use':
        this.requireText(block, 'id', `${path}.id`);
        this.requireText(block, 'name', `${path}.name`);
        if (!isObject(block['input'])) this.fail(`${path}.input`, 'Input should be a valid dictionary');
        return;
      case 'tool_result':
        return this.toolResultBlock(block, path, toolUseIds);
      case 'thinking':
        if (typeof block['thinking'] !== 'string') this.fail(`${path}.thinking`, 'Field required');
        if (typeof block['signature'] !== 'string') this.fail(`${path}.signature`, 'Field required');
        return;
      case 'redacted_thinking':
        if (typeof block['data'] !== 'string') this.fail(`${path}.data`, 'Field required');
        return;
      default:
        return;
    }
  }

  private textBlock(block: Json, path: string, role: 'user' | 'assistant' | 'system'): void {
    if (typeof block['text'] !== 'string') return this.fail(`${path}.text`, 'Field required');
    if (block['text'] === '') this.fail(path, 'text content blocks must be non-empty');
    else if ((block['text'] as string).trim() === '') this.fail(path, 'text content blocks must contain non-whitespace text');
    const citations = block['citations'];
    if (role === 'user' && this.options.version === '2026-10-21' && Array.isArray(citations) && citations.length > 0)
      this.fail(`${path}.citations`, 'citations are not accepted on text blocks in `user` messages in API version 2026-10-21');
  }

  private imageBlock(block: Json, path: string): void {
    const source = block['source'];
    if (!isObject(source)) return this.fail(`${path}.source`, 'Field required');
    switch (source['type']) {
      case 'base64':
        if (typeof source['media_type'] !== 'string' || !IMAGE_MEDIA_TYPES.includes(source['media_type']))
          this.fail(`${path}.source.base64.media_type`, `Input should be ${IMAGE_MEDIA_TYPES.map((t) => `'${t}'`).join(', ')}`);
        return this.requireText(source, 'data', `${path}.source.base64.data`);
      case 'url':
      case 'file':
        return this.referenceSource(source, path);
      default:
        this.fail(`${path}.source`, "Input tag found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'");
    }
  }

  private documentBlock(block: Json, path: string): void {
    const source = block['source'];
    if (!isObject(source)) return this.fail(`${path}.source`, 'Field required');
    switch (source['type']) {
      case 'base64':
        if (source['media_type'] !== 'application/pdf') this.fail(`${path}.source.base64.media_type`, "Input should be 'application/pdf'");
        return this.requireText(source, 'data', `${path}.source.base64.data`);
      case 'text':
        if (source['media_type'] !== 'text/plain') this.fail(`${path}.source.text.media_type`, "Input should be 'text/plain'");
        if (typeof source['data'] !== 'string') this.fail(`${path}.source.text.data`, 'Field required');
        return;
      case 'content':
        if (typeof source['content'] !== 'string' && !Array.isArray(source['content'])) this.fail(`${path}.source.content.content`, 'Field required');
        return;
      case 'url':
      case 'file':
        return this.referenceSource(source, path);
      default:
        this.fail(`${path}.source`, "Input tag found using 'type' does not match any of the expected tags: 'base64', 'text', 'content', 'url', 'file'");
    }
  }

  /** A source by reference, shared by images and documents: `url` names a URL, `file` a Files API id. */
  private referenceSource(source: Json, path: string): void {
    if (source['type'] === 'url') this.requireText(source, 'url', `${path}.source.url.url`);
    else this.requireText(source, 'file_id', `${path}.source.file.file_id`);
  }

  private requireText(object: Json, key: string, path: string): void {
    if (typeof object[key] !== 'string' || object[key] === '') this.fail(path, 'Field required');
  }

  private toolResultBlock(block: Json, path: string, toolUseIds: Set<string>): void {
    const id = block['tool_use_id'];
    if (typeof id !== 'string' || id === '') return this.fail(`${path}.tool_use_id`, 'Field required');
    if (!toolUseIds.has(id))
      this.fail(
        path,
        `unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
      );
    if (block['is_error'] !== undefined && typeof block['is_error'] !== 'boolean') this.fail(`${path}.is_error`, 'Input should be a valid boolean');
    const content = block['content'];
    if (content === undefined || typeof content === 'string') return;
    if (!Array.isArray(content)) return this.fail(`${path}.content`, 'Input should be a valid string or list');
    content.forEach((inner, k) => {
      const innerPath = `${path}.content.${k}`;
      if (!isObject(inner) || typeof inner['type'] !== 'string') return this.fail(innerPath, "Unable to extract tag using discriminator 'type'");
      const type = inner['type'];
      if (!(TOOL_RESULT_CONTENT_TYPES as readonly string[]).includes(type))
        return this.fail(innerPath, `Input tag '${type}' found using 'type' does not match any of the expected tags: ${tags(TOOL_RESULT_CONTENT_TYPES)}`);
      if (type === 'text') this.textBlock(inner, innerPath, 'user');
      else if (type === 'image') this.imageBlock(inner, innerPath);
      else if (type === 'document') this.documentBlock(inner, innerPath);
    });
  }

  /** Each `tool_use` must be answered by a `tool_result` in the next turn, when a user turn follows. */
  private toolUsesAnswered(content: unknown[], i: number, messages: unknown[]): void {
    const ids = content.filter((b): b is Json => isObject(b) && b['type'] === 'tool_use' && typeof b['id'] === 'string').map((b) => b['id'] as string);
    if (ids.length === 0) return;
    const answered = nextToolResultIds(messages, i);
    if (answered === undefined) return;
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length)
      this.fail(
        `messages.${i}`,
        `\`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      );
  }

  private metadata(metadata: unknown): void {
    if (!isObject(metadata)) return this.fail('metadata', 'Input should be a valid dictionary');
    for (const key of Object.keys(metadata)) if (key !== 'user_id') this.fail(`metadata.${key}`, 'Extra inputs are not permitted');
    const userId = metadata['user_id'];
    if (userId !== undefined && userId !== null && typeof userId !== 'string') this.fail('metadata.user_id', 'Input should be a valid string');
  }

  private stopSequences(value: unknown): void {
    if (!Array.isArray(value)) return this.fail('stop_sequences', 'Input should be a valid list');
    value.forEach((s, i) => {
      if (typeof s !== 'string') this.fail(`stop_sequences.${i}`, 'Input should be a valid string');
    });
  }

  private thinking(thinking: unknown, maxTokens: unknown): void {
    if (!isObject(thinking)) return this.fail('thinking', 'Input should be a valid dictionary');
    const type = thinking['type'];
    if (type === 'disabled' || type === 'adaptive' || type === 'between_tools') return;
    if (type !== 'enabled') return this.fail('thinking', "Input tag found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive', 'between_tools'");
    const budget = thinking['budget_tokens'];
    if (!isInteger(budget)) return this.fail('thinking.enabled.budget_tokens', 'Field required');
    if (budget < 1024) return this.fail('thinking.enabled.budget_tokens', 'Input should be greater than or equal to 1024');
    if (isInteger(maxTokens) && this.endpoint === 'create' && budget >= maxTokens)
      this.fail('max_tokens', '`max_tokens` must be greater than `thinking.budget_tokens`');
  }

  private tools(tools: unknown): Set<string> {
    const names = new Set<string>();
    if (!Array.isArray(tools)) {
      this.fail('tools', 'Input should be a valid list');
      return names;
    }
    tools.forEach((tool, i) => {
      const path = `tools.${i}`;
      if (!isObject(tool)) return this.fail(path, 'Input should be a valid dictionary');
      const type = tool['type'];
      const name = tool['name'];
      if (typeof name !== 'string' || !TOOL_NAME.test(name)) this.fail(`${path}.name`, "String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
      else if (names.has(name)) this.fail('tools', 'Tool names must be unique.');
      else names.add(name);
      if (type === undefined || type === null || type === 'custom') {
        const schema = tool['input_schema'];
        if (!isObject(schema)) this.fail(`${path}.custom.input_schema`, 'Field required');
        else if (schema['type'] !== 'object') this.fail(`${path}.custom.input_schema.type`, "Input should be 'object'");
        if (tool['description'] !== undefined && typeof tool['description'] !== 'string') this.fail(`${path}.custom.description`, 'Input should be a valid string');
        return;
      }
      if (typeof type !== 'string' || !ANTHROPIC_TOOL_TYPES.has(type))
        this.fail(`${path}`, `Input tag '${String(type)}' found using 'type' does not match any of the expected tags: 'custom', ${tags([...ANTHROPIC_TOOL_TYPES])}`);
    });
    return names;
  }

  private toolChoice(choice: unknown, toolNames: Set<string>): void {
    if (!isObject(choice)) return this.fail('tool_choice', 'Input should be a valid dictionary');
    const type = choice['type'];
    if (type !== 'auto' && type !== 'any' && type !== 'tool' && type !== 'none')
      return this.fail('tool_choice', "Input tag found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    const disable = choice['disable_parallel_tool_use'];
    if (disable !== undefined && typeof disable !== 'boolean') this.fail(`tool_choice.${type}.disable_parallel_tool_use`, 'Input should be a valid boolean');
    if (type !== 'tool') return;
    const name = choice['name'];
    if (typeof name !== 'string' || name === '') return this.fail('tool_choice.tool.name', 'Field required');
    if (!toolNames.has(name)) this.fail('tool_choice.tool.name', `Tool '${name}' not found in \`tools\``);
  }

  private outputConfig(config: unknown): void {
    if (!isObject(config)) return this.fail('output_config', 'Input should be a valid dictionary');
    const effort = config['effort'];
    if (effort !== undefined && effort !== null && (typeof effort !== 'string' || !EFFORTS.includes(effort)))
      this.fail('output_config.effort', `Input should be ${tags(EFFORTS)}`);
    const format = config['format'];
    if (format === undefined || format === null) return;
    if (!isObject(format) || format['type'] !== 'json_schema') return this.fail('output_config.format', "Input tag found using 'type' does not match any of the expected tags: 'json_schema'");
    if (!isObject(format['schema'])) this.fail('output_config.format.schema', 'Field required');
  }
}

/** A prefill ending in whitespace is refused: the model would continue after it. */
function endsWithWhitespace(content: unknown): boolean {
  const lastBlock = Array.isArray(content) ? content.at(-1) : undefined;
  const text = typeof content === 'string' ? content : isObject(lastBlock) && lastBlock['type'] === 'text' ? lastBlock['text'] : undefined;
  return typeof text === 'string' && text !== '' && /\s$/.test(text);
}

const roleOf = (message: unknown): unknown => (isObject(message) ? message['role'] : undefined);

/**
 * The `tool_use` ids of the assistant turn before the user turn holding message `i` (what its `tool_result`
 * blocks may answer). Consecutive same-role messages form one turn, as the API combines them.
 */
function previousToolUseIds(messages: unknown[], i: number): Set<string> {
  const ids = new Set<string>();
  let k = i - 1;
  while (k >= 0 && roleOf(messages[k]) === 'user') k--;
  for (; k >= 0 && roleOf(messages[k]) === 'assistant'; k--) {
    const content = (messages[k] as Json)['content'];
    if (!Array.isArray(content)) continue;
    for (const block of content) if (isObject(block) && block['type'] === 'tool_use' && typeof block['id'] === 'string') ids.add(block['id']);
  }
  return ids;
}

/** The `tool_result` ids of the user turn right after the assistant turn holding message `i`. */
function nextToolResultIds(messages: unknown[], i: number): Set<unknown> | undefined {
  let k = i + 1;
  while (k < messages.length && roleOf(messages[k]) === 'assistant') k++;
  if (k >= messages.length || roleOf(messages[k]) !== 'user') return undefined;
  const ids = new Set<unknown>();
  for (; k < messages.length && roleOf(messages[k]) === 'user'; k++) {
    const content = (messages[k] as Json)['content'];
    if (!Array.isArray(content)) continue;
    for (const block of content) if (isObject(block) && block['type'] === 'tool_result') ids.add(block['tool_use_id']);
  }
  return ids;
}

import type { MappedRequest, OpenAIChatRequest, AdapterSettings } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import {
  ANTHROPIC_ENDPOINTS,
  ANTHROPIC_LABEL,
  ANTHROPIC_PARAMETERS,
  AnthropicVersion,
  anthropicHeaders,
  anthropicVersionOf,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
} from './anthropic-spec';

type Json = Record<string, unknown>;
type Block = Json & { type: string };
type Role = 'user' | 'assistant' | 'system';
interface Turn {
  role: Role;
  content: Block[];
}

/**
 * Thinking budgets for OpenAI's `reasoning_effort` (Anthropic's minimum is 1024); they read back as the
 * same effort through reasoningEffortForBudget of the /messages route (under 4096 low, under 16384 medium).
 */
export const THINKING_BUDGETS: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32000,
};
const MIN_THINKING_BUDGET = 1024;
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
// request keys that are ours, never the provider's
const INTERNAL_KEYS = new Set(['drop_params']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Refuses an unsupported parameter, or drops and records it when the request allows. */
class Mapping {
  readonly dropped: string[] = [];
  constructor(private readonly dropParams: boolean) {}

  unsupported(param: string, detail?: string): void {
    if (!this.dropParams) throw new UnsupportedParameterError(param, ANTHROPIC_LABEL, detail);
    this.dropped.push(param);
  }
}

/** `data:<media type>;base64,<data>` → its parts; undefined for anything else. */
function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match || !/;base64$/i.test(match[2])) return undefined;
  return { mediaType: match[1].toLowerCase(), data: match[3] };
}

/** `cache_control` of an OpenAI part, passed through as is. */
function withCacheControl(block: Block, part: Json): Block {
  return part.cache_control === undefined ? block : { ...block, cache_control: part.cache_control };
}

function textBlock(text: string, part: Json = {}): Block {
  return withCacheControl({ type: 'text', text }, part);
}

function imageBlock(part: Json, path: string, mapping: Mapping): Block | undefined {
  const image = isObject(part.image_url) ? part.image_url : {};
  const url = typeof image.url === 'string' ? image.url : '';
  if (/^https?:\/\//i.test(url)) return withCacheControl({ type: 'image', source: { type: 'url', url } }, part);
  const data = parseDataUrl(url);
  if (data && IMAGE_MEDIA_TYPES.has(data.mediaType)) {
    return withCacheControl({ type: 'image', source: { type: 'base64', media_type: data.mediaType, data: data.data } }, part);
  }
  mapping.unsupported(`${path}.image_url`, 'Anthropic takes http(s) URLs and base64 data URLs of JPEG, PNG, GIF or WebP images');
  return undefined;
}

function documentBlock(part: Json, path: string, mapping: Mapping): Block | undefined {
  const file = isObject(part.file) ? part.file : {};
  if (isSet(file.file_id)) {
    mapping.unsupported(`${path}.file.file_id`, 'OpenAI file ids mean nothing to Anthropic; send file_data');
    return undefined;
  }
  const data = typeof file.file_data === 'string' ? parseDataUrl(file.file_data) : undefined;
  const title = typeof file.filename === 'string' && file.filename ? { title: file.filename } : {};
  if (data?.mediaType === 'application/pdf') {
    return withCacheControl({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: data.data }, ...title }, part);
  }
  if (data?.mediaType === 'text/plain') {
    const text = Buffer.from(data.data, 'base64').toString('utf8');
    return withCacheControl({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title }, part);
  }
  mapping.unsupported(`${path}.file`, 'Anthropic takes PDF and plain-text documents as base64 data URLs');
  return undefined;
}

/** A user message's content as Anthropic blocks; empty text is left out (Anthropic refuses it). */
function userBlocks(content: unknown, path: string, mapping: Mapping): Block[] {
  if (typeof content === 'string') return content ? [textBlock(content)] : [];
  if (!Array.isArray(content)) return [];
  const blocks: Block[] = [];
  content.forEach((part: unknown, j) => {
    const partPath = `${path}.content.${j}`;
    if (!isObject(part)) return;
    let block: Block | undefined;
    if (part.type === 'text') block = typeof part.text === 'string' && part.text ? textBlock(part.text, part) : undefined;
    else if (part.type === 'image_url') block = imageBlock(part, partPath, mapping);
    else if (part.type === 'file') block = documentBlock(part, partPath, mapping);
    else if (part.type === 'input_audio') mapping.unsupported(`${partPath}.input_audio`, 'Anthropic takes no audio');
    else mapping.unsupported(`${partPath}.type`, `no Anthropic block for a "${String(part.type)}" part`);
    if (block) blocks.push(block);
  });
  return blocks;
}

/** Text of system, developer, tool and assistant content: a string or text (and refusal) parts. */
function textBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return content ? [textBlock(content)] : [];
  if (!Array.isArray(content)) return [];
  const blocks: Block[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    const text = part.type === 'refusal' ? part.refusal : part.text;
    if (typeof text === 'string' && text) blocks.push(textBlock(text, part));
  }
  return blocks;
}

function toolUseBlock(call: unknown, path: string, mapping: Mapping): Block | undefined {
  if (!isObject(call)) return undefined;
  if (call.type !== undefined && call.type !== 'function') {
    mapping.unsupported(`${path}.type`, 'Anthropic has function tools only');
    return undefined;
  }
  const fn = isObject(call.function) ? call.function : {};
  const raw = typeof fn.arguments === 'string' && fn.arguments.trim() ? fn.arguments : '{}';
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    input = undefined;
  }
  // invalid arguments are a broken conversation, not an optional parameter: never dropped
  if (!isObject(input)) throw new UnsupportedParameterError(`${path}.function.arguments`, ANTHROPIC_LABEL, 'tool call arguments must be a JSON object');
  return { type: 'tool_use', id: String(call.id ?? ''), name: String(fn.name ?? ''), input };
}

/** Thinking blocks an earlier answer returned (`thinking_blocks`), sent back first and unchanged as Anthropic requires. */
function thinkingBlocks(message: Json): Block[] {
  if (!Array.isArray(message.thinking_blocks)) return [];
  return message.thinking_blocks.filter((block): block is Block => isObject(block) && (block.type === 'thinking' || block.type === 'redacted_thinking'));
}

function assistantBlocks(message: Json, path: string, mapping: Mapping): Block[] {
  const blocks = [...thinkingBlocks(message), ...textBlocks(message.content)];
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, j) => {
      const block = toolUseBlock(call, `${path}.tool_calls.${j}`, mapping);
      if (block) blocks.push(block);
    });
  }
  if (isSet(message.function_call)) mapping.unsupported(`${path}.function_call`, 'use tool_calls');
  if (isSet(message.audio)) mapping.unsupported(`${path}.audio`, 'Anthropic takes no audio');
  return blocks;
}

function toolResultBlock(message: Json): Block {
  const blocks = textBlocks(message.content);
  const plain = blocks.every((block) => block.cache_control === undefined);
  const content = typeof message.content === 'string' ? message.content : plain ? blocks.map((block) => block.text).join('') : blocks;
  return { type: 'tool_result', tool_use_id: String(message.tool_call_id ?? ''), content };
}

/** A Turn per OpenAI message, system ones included, in order. */
function turnsOf(messages: unknown[], mapping: Mapping): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    if (!isObject(message)) return;
    switch (message.role) {
      case 'system':
      case 'developer':
        turns.push({ role: 'system', content: textBlocks(message.content) });
        return;
      case 'user':
        turns.push({ role: 'user', content: userBlocks(message.content, path, mapping) });
        return;
      case 'assistant':
        turns.push({ role: 'assistant', content: assistantBlocks(message, path, mapping) });
        return;
      case 'tool':
        turns.push({ role: 'user', content: [toolResultBlock(message)] });
        return;
      default:
        mapping.unsupported(`${path}.role`, `Anthropic has no "${String(message.role)}" messages`);
    }
  });
  return turns.filter((turn) => turn.content.length > 0);
}

/**
 * Where each system message goes: before the conversation always to top-level `system`; later ones stay in
 * place on 2026-10-21 when Anthropic allows it there (right after a user turn, and last or before an
 * assistant turn), else they join `system` too. Then consecutive turns of one role become one turn.
 */
function placeSystem(turns: Turn[], version: AnthropicVersion): { system: Block[]; turns: Turn[] } {
  const system: Block[] = [];
  const kept: Turn[] = [];
  turns.forEach((turn, i) => {
    if (turn.role !== 'system') return kept.push(turn);
    const previous = kept[kept.length - 1];
    // one instruction after another at the same point: one system message
    if (previous?.role === 'system') return void (previous.content = [...previous.content, ...turn.content]);
    const next = turns.slice(i + 1).find((later) => later.role !== 'system');
    const inPlace = version !== '2023-06-01' && previous?.role === 'user' && (next === undefined || next.role === 'assistant');
    if (inPlace) kept.push(turn);
    else system.push(...turn.content);
  });
  const merged: Turn[] = [];
  for (const turn of kept) {
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role && turn.role !== 'system') last.content = [...last.content, ...turn.content];
    else merged.push({ role: turn.role, content: [...turn.content] });
  }
  return { system, turns: merged };
}

/** One plain text block is sent as a string, as Anthropic's own examples do. */
function compactContent(blocks: Block[]): string | Block[] {
  const only = blocks[0];
  return blocks.length === 1 && only.type === 'text' && Object.keys(only).length === 2 ? (only.text as string) : blocks;
}

function mapTools(tools: unknown, mapping: Mapping): Json[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  const mapped: Json[] = [];
  tools.forEach((tool: unknown, i) => {
    if (!isObject(tool)) return;
    if (tool.type !== 'function' || !isObject(tool.function)) return mapping.unsupported(`tools.${i}`, 'Anthropic has function tools only');
    const fn = tool.function;
    mapped.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      input_schema: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
      ...(fn.strict === true ? { strict: true } : {}),
      ...(tool.cache_control !== undefined ? { cache_control: tool.cache_control } : {}),
    });
  });
  return mapped.length > 0 ? mapped : undefined;
}

function mapToolChoice(request: OpenAIChatRequest, mapping: Mapping): Json | undefined {
  const choice: unknown = request.tool_choice;
  const noParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) return request.parallel_tool_calls === false ? { type: 'auto', ...noParallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...noParallel };
  if (choice === 'required') return { type: 'any', ...noParallel };
  if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name, ...noParallel };
  }
  mapping.unsupported('tool_choice', 'Anthropic takes auto, none, required or one named function');
  return undefined;
}

/** Claude models before 4.5 have no structured outputs; ids we cannot read are taken as newer models. */
export function supportsStructuredOutputs(model: string): boolean {
  const id = model.toLowerCase();
  if (/^claude-(instant|2|3)/.test(id)) return false;
  const match = /^claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d)(?!\d))?/.exec(id);
  if (!match) return true;
  const major = Number(match[1]);
  const minor = match[2] === undefined ? 0 : Number(match[2]);
  return major > 4 || (major === 4 && minor >= 5);
}

function mapResponseFormat(request: OpenAIChatRequest, model: string, mapping: Mapping): Json | undefined {
  const format: unknown = request.response_format;
  if (!isObject(format) || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && isObject(format.json_schema)) {
    if (!supportsStructuredOutputs(model)) {
      mapping.unsupported('response_format', `${model} has no structured outputs (Claude 4.5 and later do)`);
      return undefined;
    }
    const schema = isObject(format.json_schema.schema) ? format.json_schema.schema : { type: 'object' };
    return { type: 'json_schema', schema };
  }
  mapping.unsupported('response_format', 'Anthropic takes a json_schema response format only');
  return undefined;
}

/** Sampling, penalties and other parameters Anthropic cannot take; OpenAI's default values pass silently. */
function checkUnsupported(request: OpenAIChatRequest, version: AnthropicVersion, mapping: Mapping): Json {
  const sampling: Json = {};
  const isDefault: Record<string, (value: unknown) => boolean> = {
    n: (v) => v === 1,
    logprobs: (v) => v === false,
    presence_penalty: (v) => v === 0,
    frequency_penalty: (v) => v === 0,
    logit_bias: (v) => isObject(v) && Object.keys(v).length === 0,
    metadata: (v) => isObject(v) && Object.keys(v).length === 0,
    store: (v) => v === false,
    modalities: (v) => Array.isArray(v) && v.every((m) => m === 'text'),
    functions: (v) => Array.isArray(v) && v.length === 0,
  };
  for (const [param, spec] of Object.entries(ANTHROPIC_PARAMETERS)) {
    const support = typeof spec.support === 'string' ? spec.support : spec.support[version];
    const value = request[param];
    if (support !== 'unsupported' || !isSet(value) || isDefault[param]?.(value)) continue;
    mapping.unsupported(param, param === 'temperature' || param === 'top_p' ? `removed in anthropic-version ${version}` : spec.note || undefined);
  }
  if (version === '2023-06-01') {
    if (isSet(request.temperature)) {
      const temperature = Number(request.temperature);
      if (temperature > 1) mapping.unsupported('temperature', 'Anthropic takes 0 to 1');
      else sampling.temperature = temperature;
    }
    if (isSet(request.top_p)) sampling.top_p = request.top_p;
  }
  return sampling;
}

function mapServiceTier(tier: unknown, mapping: Mapping): string | undefined {
  if (!isSet(tier)) return undefined;
  if (tier === 'auto') return 'auto';
  if (tier === 'default') return 'standard_only';
  mapping.unsupported('service_tier', 'Anthropic takes auto or default');
  return undefined;
}

function thinkingFor(request: OpenAIChatRequest, requestedMax: number | undefined, mapping: Mapping): { thinking?: Json; budget: number } {
  const effort: unknown = request.reasoning_effort;
  if (!isSet(effort) || isSet(request.thinking)) return { budget: 0 };
  if (effort === 'none') return { thinking: { type: 'disabled' }, budget: 0 };
  const wanted = THINKING_BUDGETS[String(effort)];
  if (wanted === undefined) {
    mapping.unsupported('reasoning_effort', `Anthropic maps ${Object.keys(THINKING_BUDGETS).join(', ')} and none`);
    return { budget: 0 };
  }
  // thinking counts toward max_tokens and needs room for the answer
  const budget = requestedMax === undefined ? wanted : Math.min(wanted, requestedMax - 1);
  if (budget < MIN_THINKING_BUDGET) {
    mapping.unsupported('reasoning_effort', `Anthropic thinks with at least ${MIN_THINKING_BUDGET} tokens, below max_tokens`);
    return { budget: 0 };
  }
  return { thinking: { type: 'enabled', budget_tokens: budget }, budget };
}

/**
 * What Anthropic refuses next to thinking: a tool choice that forces a tool (the thinking goes), a
 * temperature other than 1 or a top_p below 0.95 (the sampling parameter goes); `sampling` is trimmed in place.
 */
function checkThinking(
  mapped: { thinking?: Json; budget: number },
  toolChoice: Json | undefined,
  sampling: Json,
  mapping: Mapping,
): { thinking?: Json; budget: number } {
  if (mapped.thinking?.type !== 'enabled') return mapped;
  if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') {
    mapping.unsupported('reasoning_effort', 'Anthropic cannot think while tool_choice forces a tool');
    return { budget: 0 };
  }
  if (sampling.temperature !== undefined && sampling.temperature !== 1) {
    mapping.unsupported('temperature', 'Anthropic takes no temperature but 1 while thinking');
    delete sampling.temperature;
  }
  if (typeof sampling.top_p === 'number' && sampling.top_p < 0.95) {
    mapping.unsupported('top_p', 'Anthropic takes top_p from 0.95 to 1 while thinking');
    delete sampling.top_p;
  }
  return mapped;
}

function requestedMaxTokens(request: OpenAIChatRequest): number | undefined {
  const value = request.max_completion_tokens ?? request.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

/** Anthropic-native keys a client sent along (`top_k`, `thinking`, `output_config`, …): forwarded unchanged. */
function passThrough(request: OpenAIChatRequest): Json {
  const extra: Json = {};
  for (const [key, value] of Object.entries(request)) {
    if (key in ANTHROPIC_PARAMETERS || INTERNAL_KEYS.has(key)) continue;
    extra[key] = value;
  }
  return extra;
}

/** OpenAI Chat Completions request → `POST /v1/messages` for the instance's API version. */
export function mapAnthropicRequest(request: OpenAIChatRequest, settings: AdapterSettings): MappedRequest {
  const version = anthropicVersionOf(settings);
  const mapping = new Mapping(settings.dropParams === true);
  const model = settings.model || request.model;
  const sampling = checkUnsupported(request, version, mapping);

  const { system, turns } = placeSystem(turnsOf(Array.isArray(request.messages) ? request.messages : [], mapping), version);
  const tools = mapTools(request.tools, mapping);
  const toolChoice = tools ? mapToolChoice(request, mapping) : undefined;
  const requestedMax = requestedMaxTokens(request);
  const { thinking, budget } = checkThinking(thinkingFor(request, requestedMax, mapping), toolChoice, sampling, mapping);
  const maxTokens = requestedMax ?? (settings.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS) + budget;

  const format = mapResponseFormat(request, model, mapping);
  const stop = typeof request.stop === 'string' ? [request.stop] : Array.isArray(request.stop) && request.stop.length > 0 ? request.stop : undefined;
  const userId = request.user ?? request.safety_identifier;
  const serviceTier = mapServiceTier(request.service_tier, mapping);
  const extra = passThrough(request);
  const outputConfig = format ? { ...(isObject(extra.output_config) ? extra.output_config : {}), format } : undefined;

  const body: Json = {
    model,
    max_tokens: maxTokens,
    ...(system.length > 0 ? { system: compactContent(system) } : {}),
    messages: turns.map((turn) => ({ role: turn.role, content: compactContent(turn.content) })),
    ...sampling,
    ...(stop ? { stop_sequences: stop } : {}),
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(thinking ? { thinking } : {}),
    ...(typeof userId === 'string' && userId ? { metadata: { user_id: userId } } : {}),
    ...(serviceTier ? { service_tier: serviceTier } : {}),
    ...extra,
    ...(outputConfig ? { output_config: outputConfig } : {}),
    ...(request.stream === true ? { stream: true } : {}),
  };
  return {
    call: { method: 'POST', path: ANTHROPIC_ENDPOINTS.messages, headers: anthropicHeaders(settings), body, ...(request.stream === true ? { stream: true } : {}) },
    dropped: mapping.dropped,
  };
}

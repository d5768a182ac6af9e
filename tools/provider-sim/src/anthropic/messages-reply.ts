import { countWords } from '../chat-reply';
import { argumentsFromSchema } from '../gemini/schema-arguments';
import type { AnthropicVersion, Block, InputMessage, MessagesRequest } from './messages-request';

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface MessagesReply {
  thinking?: { text: string; pieces: string[]; signature: string };
  /** the text split into words, each with the whitespace before it */
  pieces: string[];
  toolCalls: ToolCall[];
  stopReason: StopReason;
  stopSequence: string | null;
  inputTokens: number;
  outputTokens: number;
}

const PER_MESSAGE_TOKENS = 3;

function blockText(block: Block): string {
  if (block.type === 'text') return String(block.text ?? '');
  if (block.type === 'thinking') return String(block.thinking ?? '');
  if (block.type === 'tool_use') return JSON.stringify(block.input ?? {});
  if (block.type === 'tool_result') return toolResultText(block);
  return '';
}

function toolResultText(block: Block): string {
  if (typeof block.content === 'string') return block.content;
  if (!Array.isArray(block.content)) return '';
  return block.content
    .filter((part): part is Block => typeof part === 'object' && part !== null && (part as Block).type === 'text')
    .map((part) => String(part.text ?? ''))
    .join(' ');
}

/** Prompt tokens as the OpenAI protocol counts them: words of every message (the system prompt is one) + 3 each. */
export function countInputTokens(request: Pick<MessagesRequest, 'system' | 'messages'>): number {
  let tokens = request.system ? countWords(request.system) + PER_MESSAGE_TOKENS : 0;
  for (const message of request.messages) tokens += countWords(message.blocks.map(blockText).join(' ')) + PER_MESSAGE_TOKENS;
  return tokens;
}

/** The text of the last user message that has text (tool results are not what the user said). */
function lastUserText(messages: InputMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== 'user') continue;
    const text = messages[i].blocks.filter((block) => block.type === 'text').map(blockText).join(' ').trim();
    if (text) return text;
  }
  return '';
}

/** Words with the whitespace before each; trailing whitespace (before a stop sequence) stays on the last. */
function words(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [];
  const trailing = /\s+$/.exec(text)?.[0];
  if (trailing && pieces.length > 0) pieces[pieces.length - 1] += trailing;
  return pieces;
}

/** The tools this reply calls, per the simulator's rules (docs: tools/provider-sim/README.md). */
function toolCallsFor(request: MessagesRequest, userText: string, nextToolId: () => string): ToolCall[] {
  const choice = request.toolChoice;
  const call = (name: string): ToolCall => {
    const tool = request.tools.find((offered) => offered.name === name)!;
    return { id: nextToolId(), name, input: argumentsFromSchema(tool.input_schema, userText) };
  };
  if (choice?.type === 'tool' && choice.name) return [call(choice.name)];
  const parallel = /\bparallel\b/i.test(userText) && choice?.disable_parallel_tool_use !== true && request.tools.length >= 2;
  return parallel ? [call(request.tools[0].name), call(request.tools[1].name)] : [call(request.tools[0].name)];
}

/**
 * Deterministic: a tool call when tools are offered, the choice is not none and the user spoke last; the
 * text `[provider-sim <name>] tool result: <text>` after a tool result; else `[provider-sim <name>] <last
 * user text>`, cut at a stop sequence or to max_tokens words. With thinking on, a thinking block first.
 */
export function buildMessagesReply(simName: string, request: MessagesRequest, nextToolId: () => string): MessagesReply {
  const last = request.messages[request.messages.length - 1];
  const userText = lastUserText(request.messages);
  const toolResults = last.role === 'user' ? last.blocks.filter((block) => block.type === 'tool_result') : [];
  let text = '';
  let toolCalls: ToolCall[] = [];
  if (toolResults.length > 0) text = `[provider-sim ${simName}] tool result: ${toolResultText(toolResults[toolResults.length - 1])}`;
  else if (request.tools.length > 0 && request.toolChoice?.type !== 'none' && last.role === 'user') toolCalls = toolCallsFor(request, userText, nextToolId);
  else text = `[provider-sim ${simName}] ${userText || '(no user message)'}`;

  let stopReason: StopReason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
  let stopSequence: string | null = null;
  for (const sequence of request.stopSequences) {
    const at = text.indexOf(sequence);
    if (at !== -1 && (stopSequence === null || at < text.indexOf(stopSequence))) stopSequence = sequence;
  }
  if (stopSequence !== null) {
    text = text.slice(0, text.indexOf(stopSequence));
    stopReason = 'stop_sequence';
  }
  let pieces = words(text);
  if (toolCalls.length === 0 && pieces.length > request.maxTokens) {
    pieces = pieces.slice(0, request.maxTokens);
    stopReason = 'max_tokens';
    stopSequence = null;
  }
  const thinkingText = `[provider-sim ${simName}] thinking about: ${userText || '(no user message)'}`;
  const thinking = request.thinking ? { text: thinkingText, pieces: words(thinkingText), signature: Buffer.from(`provider-sim ${simName} thinking`).toString('base64') } : undefined;

  const outputTokens = pieces.length + toolCalls.reduce((sum, call) => sum + countWords(JSON.stringify(call.input)), 0) + (thinking ? thinking.pieces.length : 0);
  return { thinking, pieces, toolCalls, stopReason, stopSequence, inputTokens: countInputTokens(request), outputTokens };
}

export interface MessageMeta {
  id: string;
  model: string;
  version: AnthropicVersion;
}

function usage(inputTokens: number, outputTokens: number) {
  return { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens, service_tier: 'standard' };
}

function toolUseBlock(call: ToolCall, version: AnthropicVersion, input: unknown) {
  // 2026-10-21 says who called the tool
  return { type: 'tool_use', id: call.id, name: call.name, input, ...(version === '2023-06-01' ? {} : { caller: { type: 'direct' } }) };
}

/** The Message object of a non-streamed answer. */
export function messageBody(meta: MessageMeta, reply: MessagesReply): object {
  const content: object[] = [];
  if (reply.thinking) content.push({ type: 'thinking', thinking: reply.thinking.text, signature: reply.thinking.signature });
  if (reply.pieces.length > 0) content.push({ type: 'text', text: reply.pieces.join(''), citations: null });
  for (const call of reply.toolCalls) content.push(toolUseBlock(call, meta.version, call.input));
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence,
    ...(meta.version === '2023-06-01' ? {} : { stop_details: null, container: null }),
    usage: usage(reply.inputTokens, reply.outputTokens),
  };
}

function sse(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Tool input JSON in pieces of this many characters, as Anthropic streams it in input_json_delta events. */
const JSON_PIECE = 8;

/**
 * The stream of one answer, as Anthropic sends it: message_start, then per block content_block_start,
 * its deltas and content_block_stop (a ping after the first start), message_delta with the stop reason
 * and output usage, message_stop. With `errorType` it stops after the ping with an `error` event instead.
 */
export function messageStreamEvents(meta: MessageMeta, reply: MessagesReply, errorType?: { type: string; message: string }): string[] {
  const start = {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    ...(meta.version === '2023-06-01' ? {} : { stop_details: null, container: null }),
    usage: usage(reply.inputTokens, 1),
  };
  const events = [sse('message_start', { message: start })];
  if (errorType) return [...events, sse('ping', {}), sse('error', { error: errorType })];
  let index = 0;
  const block = (contentBlock: object, deltas: object[]) => {
    events.push(sse('content_block_start', { index, content_block: contentBlock }));
    if (index === 0) events.push(sse('ping', {}));
    for (const delta of deltas) events.push(sse('content_block_delta', { index, delta }));
    events.push(sse('content_block_stop', { index }));
    index++;
  };
  if (reply.thinking) {
    const { pieces, signature } = reply.thinking;
    block({ type: 'thinking', thinking: '', signature: '' }, [...pieces.map((thinking) => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature }]);
  }
  if (reply.pieces.length > 0) block({ type: 'text', text: '' }, reply.pieces.map((text) => ({ type: 'text_delta', text })));
  for (const call of reply.toolCalls) {
    const json = JSON.stringify(call.input);
    const parts = [''];
    for (let at = 0; at < json.length; at += JSON_PIECE) parts.push(json.slice(at, at + JSON_PIECE));
    block(toolUseBlock(call, meta.version, {}), parts.map((partial_json) => ({ type: 'input_json_delta', partial_json })));
  }
  if (index === 0) events.push(sse('ping', {}));
  events.push(sse('message_delta', { delta: { stop_reason: reply.stopReason, stop_sequence: reply.stopSequence }, usage: { output_tokens: reply.outputTokens } }));
  events.push(sse('message_stop', {}));
  return events;
}

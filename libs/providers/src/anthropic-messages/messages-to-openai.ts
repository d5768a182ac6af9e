import type {
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import type {
  ChatCompletionContentPart,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { ReasoningEffort } from 'openai/resources/shared';
import type { OpenAIChatRequest } from '../adapters/adapter-types';
import { anthropicErrorBody, type AnthropicErrorResponse } from './anthropic-errors';
import { LEGACY_SAMPLING_FIELDS, MESSAGES_CREATE_FIELDS } from './messages-fields';
import type { MessagesRequest } from './messages-request';

/**
 * What a Messages request becomes on an OpenAI-protocol instance (the README's table). Everything else
 * is either ignored on purpose (`IGNORED_MESSAGES_FEATURES`) or refused by name.
 */
export const TRANSLATED_MESSAGES_FEATURES: ReadonlyArray<readonly [anthropic: string, openai: string]> = [
  ['model', 'model'],
  ['max_tokens', 'max_tokens'],
  ['system (string or text blocks)', 'a leading system message (blocks joined by a blank line)'],
  ['messages[].role "system" (mid-conversation system message)', 'a system message at the same place'],
  ['text blocks', 'text parts (assistant: content string)'],
  ['image blocks, base64 / url', 'image_url parts (data: URL / the URL)'],
  ['document blocks, base64 PDF', 'file parts (file_data as a data: URL, filename from title)'],
  ['document blocks, plain text', 'text parts (title as the first line)'],
  ['tool_use blocks', 'assistant tool_calls (input as JSON arguments)'],
  ['tool_result blocks (string or text / image / document blocks)', 'tool messages; is_error prefixes "Error: "; images and PDFs follow in a user message'],
  ['tools (custom, input_schema, strict)', 'function tools (parameters, strict)'],
  ['tool_choice auto / any / tool / none', 'tool_choice auto / required / {function} / none'],
  ['tool_choice.disable_parallel_tool_use', 'parallel_tool_calls: false'],
  ['stop_sequences', 'stop'],
  ['temperature, top_p (2023-06-01)', 'temperature, top_p'],
  ['thinking enabled', `reasoning_effort by budget_tokens: < 4096 low, < 16384 medium, else high`],
  ['output_config.effort', 'reasoning_effort (same value; wins over thinking)'],
  ['output_config.format json_schema', 'response_format json_schema (strict)'],
  ['metadata.user_id', 'user'],
  ['service_tier auto / standard_only', 'service_tier auto / default'],
  ['stream', 'stream with stream_options.include_usage'],
];

/** Accepted and left out on purpose: they change nothing an OpenAI-protocol provider could act on. */
export const IGNORED_MESSAGES_FEATURES: ReadonlyArray<readonly [feature: string, why: string]> = [
  ['cache_control (top level, blocks, tools)', 'prompt caching is the provider’s own; cached tokens still come back as cache_read_input_tokens'],
  ['thinking / redacted_thinking blocks in assistant history', 'Chat Completions takes no earlier reasoning as input'],
  ['citations on text blocks', 'they point into earlier documents; the text itself is kept'],
  ['thinking disabled / adaptive / between_tools, thinking.display', 'the provider’s default reasoning applies'],
  ['tools[].eager_input_streaming', 'a streaming hint; tool arguments stream as the provider sends them'],
  ['speed "standard", diagnostics', 'defaults / Anthropic cache diagnostics'],
];

/** Refused by name (or dropped with `drop_params`, for parameters): they cannot survive translation. */
export const UNSUPPORTED_MESSAGES_FEATURES: readonly string[] = [
  'top_k',
  'server tools (web search, web fetch, code execution, bash, text editor, computer, browser, memory, tool search)',
  'server tool blocks (server_tool_use, *_tool_result, container_upload), search_result blocks',
  'image and document blocks by file_id; documents by URL or as content blocks; document context; citations.enabled',
  'images in assistant messages',
  'container, mcp_servers, context_management, inference_geo, speed "fast"',
  'tools[].defer_loading, allowed_callers other than direct, input_examples',
];

export interface MessagesTranslationOptions {
  /** drop unsupported parameters (named in `dropped`) instead of refusing them; content blocks are never dropped */
  dropParams?: boolean;
  /** the provider's label for the error message */
  provider?: string;
}

export type MessagesTranslation =
  | { ok: true; request: OpenAIChatRequest; dropped: string[] }
  | { ok: false; unsupported: string[]; error: AnthropicErrorResponse };

type Json = Record<string, unknown>;

/** A validated Messages request → the OpenAI Chat Completions request an OpenAI-protocol instance is sent. */
export function messagesToOpenAI(request: MessagesRequest, options: MessagesTranslationOptions = {}): MessagesTranslation {
  return new RequestTranslator(request, options).translate();
}

/** `thinking.budget_tokens` → `reasoning_effort`: under 4 096 low, under 16 384 medium, else high. */
export function reasoningEffortForBudget(budgetTokens: number): 'low' | 'medium' | 'high' {
  if (budgetTokens < 4096) return 'low';
  if (budgetTokens < 16384) return 'medium';
  return 'high';
}

/**
 * Top-level fields this translator maps, ignores or names itself; any other one is an unsupported parameter
 * (`container` and `inference_geo` have no OpenAI equivalent).
 */
const HANDLED_FIELDS = new Set([...MESSAGES_CREATE_FIELDS.filter((field) => field !== 'container' && field !== 'inference_geo'), ...LEGACY_SAMPLING_FIELDS]);

class RequestTranslator {
  /** content that cannot be translated: always refused */
  private readonly refused: string[] = [];
  /** parameters that cannot be translated: refused, or dropped with `drop_params` */
  private readonly params: string[] = [];

  constructor(
    private readonly request: MessagesRequest,
    private readonly options: MessagesTranslationOptions,
  ) {}

  translate(): MessagesTranslation {
    const body = this.request as MessagesRequest & Json;
    const out: Json = { model: this.request.model, messages: this.messages() };
    if (this.request.max_tokens !== undefined) out['max_tokens'] = this.request.max_tokens;
    if (this.request.stream) {
      out['stream'] = true;
      out['stream_options'] = { include_usage: true };
    }
    if (this.request.stop_sequences?.length) out['stop'] = this.request.stop_sequences;
    if (this.request.temperature !== undefined) out['temperature'] = this.request.temperature;
    if (this.request.top_p !== undefined) out['top_p'] = this.request.top_p;
    if (this.request.top_k !== undefined) this.params.push('top_k');
    const userId = this.request.metadata?.user_id;
    if (typeof userId === 'string' && userId !== '') out['user'] = userId;
    const effort = this.reasoningEffort();
    if (effort) out['reasoning_effort'] = effort;
    const format = this.request.output_config?.format;
    if (format) out['response_format'] = { type: 'json_schema', json_schema: { name: 'response', schema: format.schema, strict: true } };
    if (this.request.service_tier) out['service_tier'] = this.request.service_tier === 'standard_only' ? 'default' : 'auto';
    if (this.request.speed === 'fast') this.params.push('speed');
    this.tools(out);
    for (const key of Object.keys(body)) if (!HANDLED_FIELDS.has(key) && body[key] !== undefined && body[key] !== null) this.params.push(key);

    if (this.refused.length || (this.params.length && !this.options.dropParams)) {
      const unsupported = [...this.refused, ...(this.options.dropParams ? [] : this.params)];
      const provider = this.options.provider ?? 'This instance';
      const hint = this.refused.length ? '' : '; send "drop_params": true to drop them';
      const message = `${provider} speaks the OpenAI protocol and cannot serve ${unsupported.map((p) => `\`${p}\``).join(', ')} from a Messages request${hint}`;
      return { ok: false, unsupported, error: { status: 400, body: anthropicErrorBody('invalid_request_error', message, 'unsupported_parameter') } };
    }
    return { ok: true, request: out as OpenAIChatRequest, dropped: this.params };
  }

  private reasoningEffort(): ReasoningEffort | undefined {
    const effort = this.request.output_config?.effort;
    if (effort) return effort;
    const thinking = this.request.thinking;
    if (thinking?.type === 'enabled') return reasoningEffortForBudget(thinking.budget_tokens);
    return undefined;
  }

  private messages(): ChatCompletionMessageParam[] {
    const out: ChatCompletionMessageParam[] = [];
    const system = this.request.system;
    if (system !== undefined && systemText(system) !== '') out.push({ role: 'system', content: systemText(system) });
    this.request.messages.forEach((message, i) => this.message(message, i, out));
    return out;
  }

  private message(message: MessageParam, i: number, out: ChatCompletionMessageParam[]): void {
    if (message.role === 'system') {
      out.push({ role: 'system', content: systemText(message.content) });
      return;
    }
    if (typeof message.content === 'string') {
      out.push({ role: message.role, content: message.content });
      return;
    }
    if (message.role === 'assistant') out.push(this.assistant(message.content, `messages.${i}.content`));
    else out.push(...this.user(message.content, `messages.${i}.content`));
  }

  private assistant(blocks: ContentBlockParam[], path: string): ChatCompletionMessageParam {
    let text = '';
    const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
    blocks.forEach((block, j) => {
      switch (block.type) {
        case 'text':
          text += block.text;
          return;
        case 'tool_use':
          toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
          return;
        case 'thinking':
        case 'redacted_thinking':
          return;
        default:
          this.refused.push(`${path}.${j} (${block.type})`);
      }
    });
    if (toolCalls.length) return { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls };
    return { role: 'assistant', content: text };
  }

  /** tool_result blocks become tool messages first (they must follow the assistant's tool_calls), then the rest. */
  private user(blocks: ContentBlockParam[], path: string): ChatCompletionMessageParam[] {
    const toolMessages: ChatCompletionMessageParam[] = [];
    const attachments: ChatCompletionContentPart[] = [];
    const parts: ChatCompletionContentPart[] = [];
    blocks.forEach((block, j) => {
      const blockPath = `${path}.${j}`;
      if (block.type === 'tool_result') {
        toolMessages.push(this.toolResult(block, blockPath, attachments));
        return;
      }
      const part = this.userPart(block, blockPath);
      if (part) parts.push(part);
    });
    const out = [...toolMessages];
    const content = [...attachments, ...parts];
    if (content.length) out.push({ role: 'user', content: content.every((p) => p.type === 'text') && content.length === 1 ? (content[0] as { text: string }).text : content });
    return out;
  }

  private userPart(block: ContentBlockParam, path: string): ChatCompletionContentPart | undefined {
    switch (block.type) {
      case 'text':
        return { type: 'text', text: block.text };
      case 'image':
        return this.image(block, path);
      case 'document':
        return this.document(block, path);
      default:
        this.refused.push(`${path} (${block.type})`);
        return undefined;
    }
  }

  private image(block: ImageBlockParam, path: string): ChatCompletionContentPart | undefined {
    const source = block.source;
    if (source.type === 'base64') return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
    if (source.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
    this.refused.push(`${path}.source (file)`);
    return undefined;
  }

  private document(block: DocumentBlockParam, path: string): ChatCompletionContentPart | undefined {
    if (block.citations?.enabled) this.refused.push(`${path}.citations`);
    if (block.context) this.refused.push(`${path}.context`);
    const source = block.source;
    if (source.type === 'base64') {
      return { type: 'file', file: { file_data: `data:application/pdf;base64,${source.data}`, filename: block.title || 'document.pdf' } };
    }
    if (source.type === 'text') return { type: 'text', text: block.title ? `${block.title}\n\n${source.data}` : source.data };
    this.refused.push(`${path}.source (${source.type})`);
    return undefined;
  }

  private toolResult(block: ToolResultBlockParam, path: string, attachments: ChatCompletionContentPart[]): ChatCompletionMessageParam {
    const texts: string[] = [];
    const content = block.content;
    if (typeof content === 'string') texts.push(content);
    else
      (content ?? []).forEach((inner, k) => {
        const innerPath = `${path}.content.${k}`;
        if (inner.type === 'text') texts.push(inner.text);
        else if (inner.type === 'image' || inner.type === 'document') {
          const part = inner.type === 'image' ? this.image(inner, innerPath) : this.document(inner, innerPath);
          if (part?.type === 'text') texts.push(part.text);
          else if (part) attachments.push({ type: 'text', text: `[attached to tool result ${block.tool_use_id}]` }, part);
        } else this.refused.push(`${innerPath} (${inner.type})`);
      });
    const text = texts.join('\n');
    return { role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error ? `Error: ${text}` : text };
  }

  private tools(out: Json): void {
    const tools: ChatCompletionFunctionTool[] = [];
    (this.request.tools ?? []).forEach((tool, i) => {
      const function_ = this.tool(tool, `tools.${i}`);
      if (function_) tools.push(function_);
    });
    if (tools.length === 0) return;
    out['tools'] = tools;
    const choice = this.request.tool_choice;
    if (!choice) return;
    const mapped: ChatCompletionToolChoiceOption =
      choice.type === 'auto' ? 'auto' : choice.type === 'any' ? 'required' : choice.type === 'none' ? 'none' : { type: 'function', function: { name: choice.name } };
    out['tool_choice'] = mapped;
    if (choice.type !== 'none' && choice.disable_parallel_tool_use) out['parallel_tool_calls'] = false;
  }

  private tool(tool: ToolUnion, path: string): ChatCompletionFunctionTool | undefined {
    if ('type' in tool && tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      this.params.push(`${path} (${tool.type})`);
      return undefined;
    }
    if (!('input_schema' in tool)) return undefined;
    if (tool.defer_loading) this.params.push(`${path}.defer_loading`);
    if (tool.allowed_callers?.some((caller) => caller !== 'direct')) this.params.push(`${path}.allowed_callers`);
    if (tool.input_examples?.length) this.params.push(`${path}.input_examples`);
    return {
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.input_schema as Record<string, unknown>,
        ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      },
    };
  }
}

function systemText(system: string | TextBlockParam[]): string {
  return typeof system === 'string' ? system : system.map((block) => block.text).join('\n\n');
}

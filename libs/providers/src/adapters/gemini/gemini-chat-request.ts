import type { AdapterSettings, MappedRequest, OpenAIChatRequest } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import { GEMINI_API, GEMINI_PARAMETERS, geminiHeaders, geminiMethodPath } from './gemini-api';
import { GeminiInvalidRequestError } from './gemini-errors';
import { SKIP_THOUGHT_SIGNATURE, thoughtSignatureOf } from './gemini-tool-call-id';
import type {
  GeminiContent,
  GeminiFunctionDeclaration,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiThinkingLevel,
  GeminiTool,
  GeminiToolConfig,
} from './gemini-wire';

type Json = Record<string, unknown>;

/** Refuses what Gemini cannot honour, or, with `drop_params`, drops it and remembers its name. */
class Refusals {
  readonly dropped: string[] = [];
  constructor(private readonly dropParams: boolean) {}

  refuse(param: string, detail?: string): void {
    if (!this.dropParams) throw new UnsupportedParameterError(param, GEMINI_API.label, detail);
    this.dropped.push(param);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s;

/** `data:<mime>;base64,<data>` → inlineData; undefined when it is not a base64 data URL. */
function inlineDataOf(url: string): GeminiPart | undefined {
  const match = DATA_URL.exec(url);
  if (!match || !match[2].split(';').includes('base64')) return undefined;
  return { inlineData: { mimeType: match[1].toLowerCase(), data: match[3] } };
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
};

function mimeOfName(name: string | undefined): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  return extension ? MIME_BY_EXTENSION[extension] : undefined;
}

/** An http(s) URL becomes fileData: the Gemini API fetches public and signed URLs itself; its MIME type is guessed from the path. */
function fileDataOf(url: string): GeminiPart | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return { fileData: { mimeType: mimeOfName(parsed.pathname) ?? 'image/jpeg', fileUri: url } };
}

/** One OpenAI content part of a user (or system) message as a Gemini part, or undefined when refused. */
function userPart(part: unknown, path: string, refusals: Refusals): GeminiPart | undefined {
  if (!isObject(part)) throw new GeminiInvalidRequestError(path, `\`${path}\` must be a content part object`);
  switch (part.type) {
    case 'text':
      return { text: String(part.text ?? '') };
    case 'image_url': {
      const url = isObject(part.image_url) ? String(part.image_url.url ?? '') : '';
      const mapped = url.startsWith('data:') ? inlineDataOf(url) : fileDataOf(url);
      if (!mapped) refusals.refuse(`${path}.image_url`, 'only base64 data: URLs and http(s) URLs');
      return mapped;
    }
    case 'input_audio': {
      const audio = isObject(part.input_audio) ? part.input_audio : {};
      const format = audio.format === 'wav' || audio.format === 'mp3' ? audio.format : undefined;
      if (!format || typeof audio.data !== 'string') {
        refusals.refuse(`${path}.input_audio`, 'only wav and mp3 audio');
        return undefined;
      }
      return { inlineData: { mimeType: `audio/${format}`, data: audio.data } };
    }
    case 'file': {
      const file = isObject(part.file) ? part.file : {};
      if (typeof file.file_data === 'string') {
        const fromUrl = file.file_data.startsWith('data:') ? inlineDataOf(file.file_data) : undefined;
        const mimeType = mimeOfName(typeof file.filename === 'string' ? file.filename : undefined);
        const mapped = fromUrl ?? (mimeType && !file.file_data.startsWith('data:') ? { inlineData: { mimeType, data: file.file_data } } : undefined);
        if (!mapped) refusals.refuse(`${path}.file`, 'file_data must be a base64 data: URL or carry a filename with a known extension');
        return mapped;
      }
      refusals.refuse(`${path}.file.file_id`, 'OpenAI file ids mean nothing to Gemini; send file_data');
      return undefined;
    }
    default:
      refusals.refuse(`${path}.type`, `content parts of type ${JSON.stringify(part.type)}`);
      return undefined;
  }
}

function contentParts(content: unknown, path: string, refusals: Refusals): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  const parts: GeminiPart[] = [];
  content.forEach((part, j) => {
    const mapped = userPart(part, `${path}.${j}`, refusals);
    if (mapped) parts.push(mapped);
  });
  return parts;
}

/** Text of an assistant or tool message's content: a string, or its text (and refusal) parts joined. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) ? (typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '') : ''))
    .join('');
}

function parseArguments(raw: unknown, path: string): Json {
  if (raw === undefined || raw === null || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw new GeminiInvalidRequestError(path, `\`${path}\` must be a JSON object (Gemini takes function arguments as an object)`);
  }
  if (!isObject(parsed)) throw new GeminiInvalidRequestError(path, `\`${path}\` must be a JSON object (Gemini takes function arguments as an object)`);
  return parsed;
}

/** Gemini 1.x and 2.x: thinking by token budget, no thought signatures enforced. */
const BEFORE_GEMINI_3 = /^(models\/)?gemini-[12]\./;

function assistantParts(message: Json, path: string, refusals: Refusals, model: string): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const text = contentText(message.content);
  if (text !== '') parts.push({ text });
  if (isSet(message.audio)) refusals.refuse(`${path}.audio`);
  if (isSet(message.function_call)) refusals.refuse(`${path}.function_call`, 'use tool_calls');
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  calls.forEach((call, k) => {
    const callPath = `${path}.tool_calls.${k}`;
    if (!isObject(call) || call.type !== 'function' || !isObject(call.function)) {
      refusals.refuse(callPath, 'only function tool calls');
      return;
    }
    const part: GeminiPart = {
      functionCall: { name: String(call.function.name ?? ''), args: parseArguments(call.function.arguments, `${callPath}.function.arguments`) },
    };
    const signature = typeof call.id === 'string' ? thoughtSignatureOf(call.id) : undefined;
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  });
  // Gemini 3 refuses a function call turn without a signature; calls from elsewhere get the documented placeholder.
  const firstCall = parts.find((part) => part.functionCall);
  if (firstCall && !BEFORE_GEMINI_3.test(model) && !parts.some((part) => part.thoughtSignature)) firstCall.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  return parts;
}

/** The function name of the call `toolCallId` names, from the nearest assistant message before `index`. */
function calledFunction(messages: unknown[], index: number, toolCallId: string): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const message = messages[i];
    if (!isObject(message) || message.role !== 'assistant' || !Array.isArray(message.tool_calls)) continue;
    for (const call of message.tool_calls) {
      if (isObject(call) && call.id === toolCallId && isObject(call.function) && typeof call.function.name === 'string') return call.function.name;
    }
  }
  return undefined;
}

/** A tool result as Gemini's `response` object: a JSON object as is, anything else as `{"output": …}`. */
function functionResponse(text: string): Json {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
    return { output: parsed };
  } catch {
    return { output: text };
  }
}

function toolPart(messages: unknown[], index: number, message: Json, path: string): GeminiPart {
  const id = message.tool_call_id;
  if (typeof id !== 'string' || id === '') throw new GeminiInvalidRequestError(`${path}.tool_call_id`, `\`${path}.tool_call_id\` is required`);
  const name = calledFunction(messages, index, id);
  if (name === undefined) {
    throw new GeminiInvalidRequestError(`${path}.tool_call_id`, `no earlier assistant message made a tool call with id ${JSON.stringify(id)}`);
  }
  return { functionResponse: { name, response: functionResponse(contentText(message.content)) } };
}

interface MappedMessages {
  contents: GeminiContent[];
  system: GeminiPart[];
}

function mapMessages(messages: unknown, refusals: Refusals, model: string): MappedMessages {
  if (!Array.isArray(messages) || messages.length === 0) throw new GeminiInvalidRequestError('messages', '`messages` must be a non-empty array');
  const contents: GeminiContent[] = [];
  const system: GeminiPart[] = [];
  const append = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    // Gemini wants turns to alternate: consecutive messages of one role (tool results after a user text, say) become one turn.
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    if (!isObject(message)) throw new GeminiInvalidRequestError(path, `\`${path}\` must be a message object`);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...contentParts(message.content, `${path}.content`, refusals));
        return;
      case 'user':
        append('user', contentParts(message.content, `${path}.content`, refusals));
        return;
      case 'assistant':
        append('model', assistantParts(message, path, refusals, model));
        return;
      case 'tool':
        append('user', [toolPart(messages, i, message, path)]);
        return;
      default:
        refusals.refuse(`${path}.role`, `messages with role ${JSON.stringify(message.role)}`);
    }
  });
  if (contents.length === 0) throw new GeminiInvalidRequestError('messages', 'Gemini needs at least one user or assistant message besides the system prompt');
  return { contents, system };
}

function mapTools(request: OpenAIChatRequest, refusals: Refusals): GeminiTool[] {
  const tools: GeminiTool[] = [];
  const declarations: GeminiFunctionDeclaration[] = [];
  (Array.isArray(request.tools) ? request.tools : []).forEach((tool: unknown, i) => {
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
      refusals.refuse(`tools.${i}`, 'only function tools');
      return;
    }
    const fn = tool.function;
    declarations.push({
      name: String(fn.name ?? ''),
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      ...(isObject(fn.parameters) ? { parametersJsonSchema: fn.parameters } : {}),
    });
  });
  if (declarations.length > 0) tools.push({ functionDeclarations: declarations });
  if (isSet(request.web_search_options)) tools.push({ googleSearch: {} });
  return tools;
}

function namesOf(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool) => (isObject(tool) && isObject(tool.function) && typeof tool.function.name === 'string' ? [tool.function.name] : []));
}

function mapToolChoice(choice: unknown, refusals: Refusals): GeminiToolConfig | undefined {
  if (!isSet(choice)) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  }
  if (isObject(choice) && choice.type === 'allowed_tools' && isObject(choice.allowed_tools)) {
    const names = namesOf(choice.allowed_tools.tools);
    // VALIDATED: a function call among the allowed ones or plain text, which is what "auto" among a subset means.
    const mode = choice.allowed_tools.mode === 'required' ? 'ANY' : 'VALIDATED';
    return { functionCallingConfig: { mode, allowedFunctionNames: names } };
  }
  refusals.refuse('tool_choice', 'only auto, none, required, a named function or allowed_tools of functions');
  return undefined;
}

const THINKING_BUDGET: Record<string, number> = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 32768, max: 32768 };
const THINKING_LEVEL: Record<string, GeminiThinkingLevel> = { none: 'MINIMAL', minimal: 'MINIMAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', xhigh: 'HIGH', max: 'HIGH' };

/** Gemini 1.x/2.x take a token budget; later models a level (and cannot turn thinking off: `none` is their minimum). */
function thinkingConfig(effort: unknown, model: string, refusals: Refusals): GeminiGenerationConfig['thinkingConfig'] {
  if (!isSet(effort)) return undefined;
  if (typeof effort !== 'string' || !(effort in THINKING_LEVEL)) {
    refusals.refuse('reasoning_effort', `unknown effort ${JSON.stringify(effort)}`);
    return undefined;
  }
  const includeThoughts = effort !== 'none';
  if (BEFORE_GEMINI_3.test(model)) return { thinkingBudget: THINKING_BUDGET[effort], includeThoughts };
  return { thinkingLevel: THINKING_LEVEL[effort], includeThoughts };
}

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === 'string');
  return undefined;
}

function responseFormat(format: unknown, config: GeminiGenerationConfig, refusals: Refusals): void {
  if (!isObject(format) || format.type === 'text') return;
  if (format.type === 'json_object') {
    config.responseMimeType = 'application/json';
  } else if (format.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = isObject(format.json_schema) ? format.json_schema.schema : undefined;
    if (isObject(schema)) config.responseJsonSchema = schema;
  } else {
    refusals.refuse('response_format', `response_format of type ${JSON.stringify(format.type)}`);
  }
}

function generationConfig(request: OpenAIChatRequest, model: string, refusals: Refusals): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const set = <K extends keyof GeminiGenerationConfig>(key: K, value: GeminiGenerationConfig[K] | undefined) => {
    if (value !== undefined) config[key] = value;
  };
  set('temperature', number(request.temperature));
  set('topP', number(request.top_p));
  set('maxOutputTokens', number(request.max_completion_tokens) ?? number(request.max_tokens));
  set('stopSequences', stopSequences(request.stop));
  if (typeof request.n === 'number' && request.n !== 1) config.candidateCount = request.n;
  set('seed', number(request.seed));
  set('presencePenalty', number(request.presence_penalty));
  set('frequencyPenalty', number(request.frequency_penalty));
  responseFormat(request.response_format, config, refusals);
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    set('logprobs', number(request.top_logprobs));
  }
  set('thinkingConfig', thinkingConfig(request.reasoning_effort, model, refusals));
  return config;
}

/** Parameters that are refused unless absent (or harmlessly set), by name. */
function refuseUnhonoured(request: OpenAIChatRequest, refusals: Refusals): void {
  if (isObject(request.logit_bias) && Object.keys(request.logit_bias).length > 0) refusals.refuse('logit_bias');
  if (Array.isArray(request.modalities) && request.modalities.some((m) => m !== 'text')) refusals.refuse('modalities', 'Gemini chat answers text only here');
  if (isSet(request.audio)) refusals.refuse('audio');
  if (isSet(request.prediction)) refusals.refuse('prediction');
  if (isSet(request.verbosity)) refusals.refuse('verbosity');
  if (isSet(request.functions)) refusals.refuse('functions', 'use tools');
  if (isSet(request.function_call)) refusals.refuse('function_call', 'use tool_choice');
  if (request.parallel_tool_calls === false) refusals.refuse('parallel_tool_calls', 'Gemini cannot be kept to one call per turn');
  if (request.store === true) refusals.refuse('store');
  if (isSet(request.service_tier) && request.service_tier !== 'auto' && request.service_tier !== 'default') refusals.refuse('service_tier');
  for (const key of Object.keys(request)) {
    if (!(key in GEMINI_PARAMETERS) && isSet(request[key])) refusals.refuse(key, 'not a parameter Gemini can take');
  }
}

function generateContentBody(request: OpenAIChatRequest, settings: AdapterSettings, refusals: Refusals): GeminiGenerateContentRequest {
  refuseUnhonoured(request, refusals);
  const { contents, system } = mapMessages(request.messages, refusals, settings.model);
  const body: GeminiGenerateContentRequest = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  const tools = mapTools(request, refusals);
  if (tools.length > 0) body.tools = tools;
  const toolConfig = mapToolChoice(request.tool_choice, refusals);
  if (toolConfig && tools.some((tool) => tool.functionDeclarations)) body.toolConfig = toolConfig;
  const config = generationConfig(request, settings.model, refusals);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return body;
}

/** OpenAI Chat Completions → `models.generateContent` (or `streamGenerateContent?alt=sse` for `stream: true`). */
export function geminiChatRequest(request: OpenAIChatRequest, settings: AdapterSettings): MappedRequest {
  const refusals = new Refusals(settings.dropParams === true);
  const body = generateContentBody(request, settings, refusals);
  const stream = request.stream === true;
  return {
    call: {
      method: 'POST',
      path: geminiMethodPath(settings.model, stream ? 'streamGenerateContent' : 'generateContent'),
      ...(stream ? { query: { alt: 'sse' }, stream: true } : {}),
      headers: geminiHeaders(settings),
      body,
    },
    dropped: refusals.dropped,
  };
}

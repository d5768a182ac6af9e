import { validateSync } from 'class-validator';
import { ChatCompletionRequest } from '@ish/contracts';
import { ApiError, compileValidator, validationError } from '@ish/platform';
import type { ChatParams } from './chat-executor';

export interface ChatRequestLimits {
  /** most choices (`n`) one request may ask for */
  maxChoices: number;
  /** most characters of text over all messages (413 past it) */
  maxMessageChars: number;
}

/** A checked request: what goes upstream (the client's objects, not copies), and what the relay reads itself. */
export interface CheckedChatRequest {
  params: ChatParams;
  stream: boolean;
  includeUsage: boolean;
  dropParams: boolean;
  /** the characters of text over all messages */
  textChars: number;
}

type Json = Record<string, unknown>;

/** the function name pattern OpenAI enforces for tools */
const TOOL_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
const IMAGE_DETAILS = new Set(['auto', 'low', 'high']);
const AUDIO_FORMATS = new Set(['wav', 'mp3']);
const RESPONSE_FORMATS = new Set(['text', 'json_object', 'json_schema']);
const MAX_MESSAGES = 100_000;
/** the DTO's validators compiled once: validateSync runs only when this cannot vouch for the request (and then words the errors) */
const scalarsValid = compileValidator(ChatCompletionRequest);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** 400 `validation_failed` naming the field in `param` and `details`, as every validation error does. */
function invalid(field: string, message: string): ApiError {
  return ApiError.badRequest('validation_failed', `Invalid request: ${field} ${message}`, [{ field, message }]).withParam(field);
}

/**
 * Checks an OpenAI Chat Completions request in one pass over its messages, without copying them: the
 * scalar parameters by the DTO's validators (compiled once; class-validator on a shallow copy of the top
 * level only when they find fault, to word the errors), the structured ones
 * (messages, content parts, tools, tool choice, response format, …) by plain code. Unknown parameters
 * stay in `params`, untouched, for the provider.
 */
export function checkChatCompletionRequest(body: unknown, limits: ChatRequestLimits): CheckedChatRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  // JSON.parse makes `__proto__` an own key; copying it below would replace the copy's prototype (and no provider takes it)
  if (Object.prototype.hasOwnProperty.call(body, '__proto__')) throw invalid('__proto__', 'is not a parameter');
  if (!scalarsValid(body)) {
    const errors = validateSync(Object.assign(Object.create(ChatCompletionRequest.prototype) as object, body), { validationError: { target: false, value: false } });
    if (errors.length > 0) throw validationError(errors);
  }
  const request = body as unknown as ChatCompletionRequest & Json;

  if (isSet(request.n) && request.n! > limits.maxChoices) throw invalid('n', `must not be greater than ${limits.maxChoices} (MAX_CHOICES)`);
  if (isSet(request.top_logprobs) && request.logprobs !== true) throw invalid('top_logprobs', 'needs logprobs: true');
  checkStop(request.stop);
  checkStreamOptions(request.stream_options, request.stream === true);
  checkStringMap(request.metadata, 'metadata', 16, 512);
  checkLogitBias(request.logit_bias);
  checkResponseFormat(request.response_format);
  checkModalities(request.modalities);
  checkPrediction(request.prediction);
  const toolNames = checkTools(request.tools);
  checkToolChoice(request.tool_choice, toolNames);
  const textChars = checkMessages(request.messages);
  if (textChars > limits.maxMessageChars) {
    throw new ApiError(413, 'invalid_request_error', 'message_too_long', `messages hold more than ${limits.maxMessageChars} characters`).withParam('messages');
  }

  const { stream, stream_options, drop_params, ...params } = request;
  return {
    params: params as unknown as ChatParams,
    stream: stream === true,
    includeUsage: stream_options?.include_usage === true,
    dropParams: drop_params === true,
    textChars,
  };
}

function checkStop(stop: unknown): void {
  if (!isSet(stop) || typeof stop === 'string') return;
  if (!Array.isArray(stop) || stop.length > 4 || !stop.every((s) => typeof s === 'string')) throw invalid('stop', 'must be a string or up to 4 strings');
}

function checkStreamOptions(options: unknown, streaming: boolean): void {
  if (!isSet(options)) return;
  if (!isObject(options)) throw invalid('stream_options', 'must be an object');
  if (!streaming) throw invalid('stream_options', 'is only allowed with stream: true');
  for (const key of ['include_usage', 'include_obfuscation']) {
    if (isSet(options[key]) && typeof options[key] !== 'boolean') throw invalid(`stream_options.${key}`, 'must be a boolean');
  }
}

function checkStringMap(value: unknown, field: string, maxKeys: number, maxLength: number): void {
  if (!isSet(value)) return;
  if (!isObject(value)) throw invalid(field, 'must be an object');
  const entries = Object.entries(value);
  if (entries.length > maxKeys) throw invalid(field, `must have at most ${maxKeys} keys`);
  for (const [key, text] of entries) {
    if (typeof text !== 'string' || text.length > maxLength || key.length > 64) throw invalid(`${field}.${key}`, `must be a string of at most ${maxLength} characters (keys at most 64)`);
  }
}

function checkLogitBias(bias: unknown): void {
  if (!isSet(bias)) return;
  if (!isObject(bias)) throw invalid('logit_bias', 'must be an object of token ids to numbers');
  for (const [token, value] of Object.entries(bias)) {
    if (!/^\d+$/.test(token) || typeof value !== 'number' || !(value >= -100 && value <= 100)) throw invalid(`logit_bias.${token}`, 'must map a token id to a number from -100 to 100');
  }
}

function checkResponseFormat(format: unknown): void {
  if (!isSet(format)) return;
  if (!isObject(format) || typeof format.type !== 'string' || !RESPONSE_FORMATS.has(format.type)) throw invalid('response_format.type', 'must be text, json_object or json_schema');
  if (format.type !== 'json_schema') return;
  const schema = format.json_schema;
  if (!isObject(schema)) throw invalid('response_format.json_schema', 'must be an object');
  if (typeof schema.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(schema.name)) throw invalid('response_format.json_schema.name', 'must be 1 to 64 letters, digits, _ or -');
  if (isSet(schema.schema) && !isObject(schema.schema)) throw invalid('response_format.json_schema.schema', 'must be a JSON Schema object');
  if (isSet(schema.strict) && typeof schema.strict !== 'boolean') throw invalid('response_format.json_schema.strict', 'must be a boolean');
}

function checkModalities(modalities: unknown): void {
  if (!isSet(modalities)) return;
  if (!Array.isArray(modalities) || !modalities.every((m) => m === 'text' || m === 'audio')) throw invalid('modalities', 'must be a list of text and audio');
}

function checkPrediction(prediction: unknown): void {
  if (!isSet(prediction)) return;
  if (!isObject(prediction) || prediction.type !== 'content') throw invalid('prediction.type', 'must be content');
  if (textOf(prediction.content, 'prediction.content') === undefined) throw invalid('prediction.content', 'must be a string or text parts');
}

/** The names of the function tools offered (a tool choice and the calls must name one of them). */
function checkTools(tools: unknown): Set<string> {
  const names = new Set<string>();
  if (!isSet(tools)) return names;
  if (!Array.isArray(tools)) throw invalid('tools', 'must be an array');
  tools.forEach((tool: unknown, i) => {
    const field = `tools.${i}`;
    if (!isObject(tool)) throw invalid(field, 'must be an object');
    if (tool.type === 'custom') {
      if (!isObject(tool.custom) || typeof tool.custom.name !== 'string' || !TOOL_NAME.test(tool.custom.name)) throw invalid(`${field}.custom.name`, 'must be a tool name');
      names.add(tool.custom.name);
      return;
    }
    if (tool.type !== 'function') throw invalid(`${field}.type`, 'must be function or custom');
    const fn = tool.function;
    if (!isObject(fn)) throw invalid(`${field}.function`, 'must be an object');
    if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) throw invalid(`${field}.function.name`, 'must be 1 to 128 letters, digits, _ . : or -');
    if (names.has(fn.name)) throw invalid(`${field}.function.name`, `names ${fn.name} a second time`);
    if (isSet(fn.description) && typeof fn.description !== 'string') throw invalid(`${field}.function.description`, 'must be a string');
    if (isSet(fn.parameters) && !isObject(fn.parameters)) throw invalid(`${field}.function.parameters`, 'must be a JSON Schema object');
    if (isSet(fn.strict) && typeof fn.strict !== 'boolean') throw invalid(`${field}.function.strict`, 'must be a boolean');
    names.add(fn.name);
  });
  return names;
}

function checkToolChoice(choice: unknown, toolNames: Set<string>): void {
  if (!isSet(choice)) return;
  if (choice === 'none' || choice === 'auto' || choice === 'required') {
    if (choice === 'required' && toolNames.size === 0) throw invalid('tool_choice', 'is required but no tools are offered');
    return;
  }
  if (!isObject(choice)) throw invalid('tool_choice', 'must be none, auto, required or a named tool');
  if (choice.type === 'allowed_tools') {
    if (!isObject(choice.allowed_tools) || !Array.isArray(choice.allowed_tools.tools)) throw invalid('tool_choice.allowed_tools', 'must be {mode, tools}');
    return;
  }
  const named = choice.type === 'function' ? choice.function : choice.type === 'custom' ? choice.custom : undefined;
  if (!isObject(named) || typeof named.name !== 'string') throw invalid('tool_choice', 'must be none, auto, required or {type: "function", function: {name}}');
  if (!toolNames.has(named.name)) throw invalid(`tool_choice.${String(choice.type)}.name`, `names ${named.name}, which is not among the tools`);
}

/** Text of a string or of text (and refusal) parts; undefined when it is neither. */
function textOf(content: unknown, field: string): number | undefined {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return undefined;
  let chars = 0;
  content.forEach((part: unknown, i) => {
    if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') throw invalid(`${field}.${i}`, 'must be a text part {type: "text", text}');
    chars += part.text.length;
  });
  return chars;
}

/** Checks every message in one pass and counts their text; tool messages must answer an earlier, unanswered call. */
function checkMessages(messages: unknown[]): number {
  if (messages.length === 0) throw invalid('messages', 'must contain at least one message');
  if (messages.length > MAX_MESSAGES) throw invalid('messages', `must hold at most ${MAX_MESSAGES} messages`);
  let chars = 0;
  const pendingCalls = new Set<string>();
  const answeredCalls = new Set<string>();
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const field = `messages.${i}`;
    if (!isObject(message)) throw invalid(field, 'must be an object');
    if (isSet(message.name) && (typeof message.name !== 'string' || message.name.length > 256)) throw invalid(`${field}.name`, 'must be a string of at most 256 characters');
    switch (message.role) {
      case 'system':
      case 'developer':
        chars += requiredText(message.content, `${field}.content`);
        break;
      case 'user':
        chars += userContent(message.content, `${field}.content`);
        break;
      case 'assistant':
        chars += assistantMessage(message, field, pendingCalls);
        break;
      case 'tool': {
        chars += requiredText(message.content, `${field}.content`);
        const id = message.tool_call_id;
        if (typeof id !== 'string' || id === '') throw invalid(`${field}.tool_call_id`, 'must be the id of an earlier tool call');
        if (answeredCalls.has(id)) throw invalid(`${field}.tool_call_id`, `answers ${id}, which an earlier tool message answered already`);
        if (!pendingCalls.delete(id)) throw invalid(`${field}.tool_call_id`, `answers ${id}, which no earlier assistant message called`);
        answeredCalls.add(id);
        break;
      }
      case 'function':
        if (typeof message.name !== 'string') throw invalid(`${field}.name`, 'must name the function');
        chars += requiredText(message.content, `${field}.content`);
        break;
      default:
        throw invalid(`${field}.role`, 'must be one of system, developer, user, assistant, tool');
    }
  }
  return chars;
}

function requiredText(content: unknown, field: string): number {
  const chars = textOf(content, field);
  if (chars === undefined) throw invalid(field, 'must be a string or an array of text parts');
  return chars;
}

function userContent(content: unknown, field: string): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) throw invalid(field, 'must be a string or an array of content parts');
  let chars = 0;
  content.forEach((part: unknown, i) => {
    const partField = `${field}.${i}`;
    if (!isObject(part)) throw invalid(partField, 'must be a content part');
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') throw invalid(`${partField}.text`, 'must be a string');
        chars += part.text.length;
        break;
      case 'image_url':
        checkImage(part.image_url, `${partField}.image_url`);
        break;
      case 'input_audio': {
        const audio = part.input_audio;
        if (!isObject(audio) || typeof audio.data !== 'string' || audio.data === '') throw invalid(`${partField}.input_audio.data`, 'must be base64 audio');
        if (typeof audio.format !== 'string' || !AUDIO_FORMATS.has(audio.format)) throw invalid(`${partField}.input_audio.format`, 'must be wav or mp3');
        break;
      }
      case 'file': {
        const file = part.file;
        if (!isObject(file) || !(typeof file.file_data === 'string' || typeof file.file_id === 'string')) throw invalid(`${partField}.file`, 'must carry file_data or file_id');
        if (isSet(file.filename) && typeof file.filename !== 'string') throw invalid(`${partField}.file.filename`, 'must be a string');
        break;
      }
      default:
        throw invalid(`${partField}.type`, 'must be text, image_url, input_audio or file');
    }
  });
  return chars;
}

/** An http(s) URL or a base64 `data:` URL, checked by its head only: the data itself may be megabytes. */
function checkImage(image: unknown, field: string): void {
  if (!isObject(image) || typeof image.url !== 'string') throw invalid(`${field}.url`, 'must be a URL');
  const { url } = image;
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma < 0 || comma > 256 || !/^data:[\w.+-]+\/[\w.+-]+(;[\w-]+=[\w.-]+)*;base64$/.test(url.slice(0, comma)) || comma === url.length - 1) {
      throw invalid(`${field}.url`, 'must be an http(s) URL or a data:<type>;base64,<data> URL');
    }
  } else if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(url) || !URL.canParse(url)) {
    throw invalid(`${field}.url`, 'must be an http(s) URL or a data:<type>;base64,<data> URL');
  }
  if (isSet(image.detail) && !IMAGE_DETAILS.has(image.detail as string)) throw invalid(`${field}.detail`, 'must be auto, low or high');
}

function assistantMessage(message: Json, field: string, pendingCalls: Set<string>): number {
  let chars = 0;
  const { content, tool_calls: calls } = message;
  if (isSet(content)) {
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      content.forEach((part: unknown, i) => {
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') chars += part.text.length;
        else if (isObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') chars += part.refusal.length;
        else throw invalid(`${field}.content.${i}`, 'must be a text or refusal part');
      });
    } else throw invalid(`${field}.content`, 'must be a string, content parts or null');
  }
  if (isSet(message.refusal) && typeof message.refusal !== 'string') throw invalid(`${field}.refusal`, 'must be a string');
  if (!isSet(calls)) {
    if (!isSet(content) && !isSet(message.function_call) && !isSet(message.audio)) throw invalid(`${field}.content`, 'is required unless tool_calls is given');
    return chars;
  }
  if (!Array.isArray(calls) || calls.length === 0) throw invalid(`${field}.tool_calls`, 'must be a non-empty array');
  calls.forEach((call: unknown, j) => {
    const callField = `${field}.tool_calls.${j}`;
    if (!isObject(call)) throw invalid(callField, 'must be an object');
    if (typeof call.id !== 'string' || call.id === '' || call.id.length > 256) throw invalid(`${callField}.id`, 'must be a non-empty string');
    if (call.type === 'custom') {
      if (!isObject(call.custom) || typeof call.custom.name !== 'string' || typeof call.custom.input !== 'string') throw invalid(`${callField}.custom`, 'must be {name, input}');
      chars += call.custom.input.length;
    } else {
      if (call.type !== 'function') throw invalid(`${callField}.type`, 'must be function');
      const fn = call.function;
      if (!isObject(fn) || typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) throw invalid(`${callField}.function.name`, 'must be 1 to 128 letters, digits, _ . : or -');
      if (typeof fn.arguments !== 'string') throw invalid(`${callField}.function.arguments`, 'must be a string (JSON)');
      chars += fn.arguments.length;
    }
    if (pendingCalls.has(call.id)) throw invalid(`${callField}.id`, `repeats the id ${call.id}`);
    pendingCalls.add(call.id);
  });
  return chars;
}

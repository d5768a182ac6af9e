import { ChatMessage } from '../chat-request';
import { GeminiSimError, invalidArgument } from './gemini-sim-errors';

type Json = Record<string, unknown>;

export interface SimFunction {
  name: string;
  /** `parametersJsonSchema`, else the OpenAPI-subset `parameters` */
  schema: unknown;
}

/** What the last turn of the conversation is: the simulator's reply depends on it. */
export type LastTurn = { kind: 'user'; text: string } | { kind: 'function_response'; text: string } | { kind: 'model' };

export interface GeminiSimRequest {
  /** every turn as role + text, for the word counts (system instruction first, as a system message) */
  messages: ChatMessage[];
  last: LastTurn;
  functions: SimFunction[];
  mode: 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED';
  allowedFunctionNames: string[];
  maxOutputTokens?: number;
}

const PART_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];
const MODES = new Set(['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A function response's text: its `output` when that is all it says, else the JSON of the response. */
export function functionResponseText(response: unknown): string {
  if (isObject(response) && Object.keys(response).length === 1 && 'output' in response) {
    return typeof response.output === 'string' ? response.output : JSON.stringify(response.output);
  }
  return JSON.stringify(response ?? {});
}

interface ParsedContent {
  role: 'user' | 'model';
  texts: string[];
  functionResponses: string[];
}

function parseContent(value: unknown, path: string): ParsedContent | GeminiSimError {
  if (!isObject(value)) return invalidArgument(`* GenerateContentRequest.${path}: must be a Content object`);
  const role = value.role ?? 'user';
  if (role !== 'user' && role !== 'model') return invalidArgument('Please use a valid role: user, model.');
  if (!Array.isArray(value.parts) || value.parts.length === 0) return invalidArgument(`* GenerateContentRequest.${path}.parts: contents.parts must not be empty.`);
  const parsed: ParsedContent = { role, texts: [], functionResponses: [] };
  for (let j = 0; j < value.parts.length; j++) {
    const part: unknown = value.parts[j];
    if (!isObject(part) || !PART_FIELDS.some((field) => part[field] !== undefined)) {
      return invalidArgument(`* GenerateContentRequest.${path}.parts[${j}].data: required oneof field 'data' must have one initialized field`);
    }
    if (typeof part.text === 'string' && part.thought !== true) parsed.texts.push(part.text);
    if (isObject(part.functionResponse)) {
      if (typeof part.functionResponse.name !== 'string' || part.functionResponse.name === '') {
        return invalidArgument(`* GenerateContentRequest.${path}.parts[${j}].function_response.name: Name cannot be empty.`);
      }
      parsed.functionResponses.push(functionResponseText(part.functionResponse.response));
    }
  }
  return parsed;
}

function isError(value: unknown): value is GeminiSimError {
  return isObject(value) && typeof value.status === 'number' && isObject(value.body);
}

function parseFunctions(tools: unknown): SimFunction[] | GeminiSimError {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) return invalidArgument('* GenerateContentRequest.tools: must be a list of Tool');
  const functions: SimFunction[] = [];
  for (const tool of tools) {
    if (!isObject(tool)) return invalidArgument('* GenerateContentRequest.tools: must be a list of Tool');
    for (const declaration of Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : []) {
      if (!isObject(declaration) || typeof declaration.name !== 'string' || declaration.name === '') {
        return invalidArgument('* GenerateContentRequest.tools[0].function_declarations[0].name: Name cannot be empty.');
      }
      if (declaration.parametersJsonSchema !== undefined && declaration.parameters !== undefined) {
        return invalidArgument('parameters and parameters_json_schema are mutually exclusive.');
      }
      functions.push({ name: declaration.name, schema: declaration.parametersJsonSchema ?? declaration.parameters });
    }
  }
  return functions;
}

function parseGenerationConfig(config: unknown): { maxOutputTokens?: number } | GeminiSimError {
  if (config === undefined) return {};
  if (!isObject(config)) return invalidArgument('* GenerateContentRequest.generation_config: must be a GenerationConfig object');
  const { temperature, maxOutputTokens, candidateCount } = config;
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)) {
    return invalidArgument('* GenerateContentRequest.generation_config.temperature: must be between 0 and 2');
  }
  if (maxOutputTokens !== undefined && !(Number.isInteger(maxOutputTokens) && (maxOutputTokens as number) >= 1)) {
    return invalidArgument('* GenerateContentRequest.generation_config.max_output_tokens: must be a positive integer');
  }
  if (candidateCount !== undefined && candidateCount !== 1) return invalidArgument('provider-sim only supports candidateCount = 1');
  return { maxOutputTokens: maxOutputTokens as number | undefined };
}

/** Validates a `generateContent` body the way Gemini does (the parts of it the simulator reads). */
export function parseGenerateContent(body: unknown): GeminiSimRequest | GeminiSimError {
  if (!isObject(body)) return invalidArgument('Invalid JSON payload received.');
  if (!Array.isArray(body.contents) || body.contents.length === 0) return invalidArgument('* GenerateContentRequest.contents: contents is not specified');
  const messages: ChatMessage[] = [];
  if (body.systemInstruction !== undefined) {
    const system = parseContent({ ...(isObject(body.systemInstruction) ? body.systemInstruction : {}), role: 'user' }, 'system_instruction');
    if (isError(system)) return system;
    messages.push({ role: 'system', text: system.texts.join(' ') });
  }
  let last: LastTurn = { kind: 'model' };
  for (let i = 0; i < body.contents.length; i++) {
    const content = parseContent(body.contents[i], `contents[${i}]`);
    if (isError(content)) return content;
    const text = [...content.texts, ...content.functionResponses].join(' ');
    if (content.role === 'model') {
      messages.push({ role: 'assistant', text });
      last = { kind: 'model' };
    } else if (content.functionResponses.length > 0) {
      messages.push({ role: 'tool', text });
      last = { kind: 'function_response', text: content.functionResponses.join(' ') };
    } else {
      messages.push({ role: 'user', text });
      last = { kind: 'user', text: content.texts.join(' ') };
    }
  }
  const functions = parseFunctions(body.tools);
  if (isError(functions)) return functions;
  const callingConfig = isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : {};
  const mode = callingConfig.mode ?? 'AUTO';
  if (typeof mode !== 'string' || !MODES.has(mode)) return invalidArgument(`Invalid value at 'tool_config.function_calling_config.mode' (${JSON.stringify(mode)})`);
  const allowed = Array.isArray(callingConfig.allowedFunctionNames) ? callingConfig.allowedFunctionNames.filter((n): n is string => typeof n === 'string') : [];
  const unknown = allowed.find((name) => !functions.some((fn) => fn.name === name));
  if (unknown !== undefined) return invalidArgument(`Function ${unknown} in allowed_function_names is not declared in the tools.`);
  const config = parseGenerationConfig(body.generationConfig);
  if (isError(config)) return config;
  return {
    messages,
    last,
    functions,
    mode: mode === 'MODE_UNSPECIFIED' ? 'AUTO' : (mode as GeminiSimRequest['mode']),
    allowedFunctionNames: allowed,
    maxOutputTokens: config.maxOutputTokens,
  };
}

export { isError as isGeminiSimError };

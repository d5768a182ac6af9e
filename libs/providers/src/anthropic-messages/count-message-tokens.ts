import type { ContentBlockParam, ImageBlockParam, MessageTokensCount, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { Tiktoken } from 'js-tiktoken';
import type { CountTokensRequest } from './messages-request';

/**
 * `POST /v1/messages/count_tokens` answered locally, for instances that are not Anthropic: an ESTIMATE.
 * Text is counted with `o200k_base`, the tokenizer of OpenAI's current models (the OpenAI-protocol
 * instances the request is translated for bill with it or one close to it; `cl100k_base` is the older
 * generation's). Claude's own tokenizer is not public, so an Anthropic instance is asked instead.
 * Framing follows OpenAI's published rule: 3 tokens per message and 3 to prime the reply. Images count
 * as Anthropic documents it, width × height / 750 after scaling to 1568 px on the long side (1 600 when
 * the size cannot be read from the bytes); a PDF 2 000 tokens a page.
 */
export async function countMessageTokens(request: CountTokensRequest): Promise<MessageTokensCount> {
  const encoding = await loadMessageTokenizer();
  const text = (value: string) => (value === '' ? 0 : encoding.encode(value).length);
  let total = REPLY_PRIMING;
  if (request.system !== undefined) total += MESSAGE_FRAMING + systemTokens(request.system, text);
  for (const message of request.messages) {
    total += MESSAGE_FRAMING;
    if (typeof message.content === 'string') total += text(message.content);
    else for (const block of message.content as ContentBlockParam[]) total += blockTokens(block, text);
  }
  for (const tool of request.tools ?? []) {
    total += 'input_schema' in tool ? text(tool.name) + text(tool.description ?? '') + text(JSON.stringify(tool.input_schema)) : text(JSON.stringify(tool));
  }
  return { input_tokens: total };
}

const MESSAGE_FRAMING = 3;
const REPLY_PRIMING = 3;
const UNKNOWN_IMAGE_TOKENS = 1600;
const PDF_PAGE_TOKENS = 2000;
const MAX_IMAGE_SIDE = 1568;

let tokenizer: Promise<Tiktoken> | undefined;

/**
 * The `o200k_base` tokenizer, loaded once on first use (a local count, a translated Messages stream):
 * about 2 s of CPU and 250 MB of RSS that a relay serving only OpenAI and Anthropic pass-through never pays.
 */
export function loadMessageTokenizer(): Promise<Tiktoken> {
  tokenizer ??= import('js-tiktoken').then(({ getEncoding }) => getEncoding('o200k_base'));
  return tokenizer;
}

function systemTokens(system: string | TextBlockParam[], text: (value: string) => number): number {
  return typeof system === 'string' ? text(system) : system.reduce((sum, block) => sum + text(block.text), 0);
}

function blockTokens(block: ContentBlockParam, text: (value: string) => number): number {
  switch (block.type) {
    case 'text':
      return text(block.text);
    case 'image':
      return imageTokens(block);
    case 'document':
      if (block.source.type === 'text') return text(block.source.data);
      if (block.source.type === 'base64') return pdfPages(block.source.data) * PDF_PAGE_TOKENS;
      if (block.source.type === 'content')
        return typeof block.source.content === 'string'
          ? text(block.source.content)
          : block.source.content.reduce((sum, inner) => sum + (inner.type === 'text' ? text(inner.text) : imageTokens(inner)), 0);
      return PDF_PAGE_TOKENS;
    case 'tool_use':
      return text(block.name) + text(JSON.stringify(block.input ?? {}));
    case 'tool_result':
      if (typeof block.content === 'string') return text(block.content);
      return (block.content ?? []).reduce((sum, inner) => sum + blockTokens(inner as ContentBlockParam, text), 0);
    case 'thinking':
    case 'redacted_thinking':
      return 0; // earlier turns' reasoning is not sent on (see messages-to-openai)
    default:
      return text(JSON.stringify(block));
  }
}

/** Anthropic's rule: (w × h) / 750 once the long side is scaled down to 1 568 px. */
export function imageTokens(block: ImageBlockParam): number {
  const size = block.source.type === 'base64' ? imageSize(Buffer.from(block.source.data.slice(0, 65536), 'base64')) : undefined;
  if (!size) return UNKNOWN_IMAGE_TOKENS;
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(size.width, size.height));
  return Math.ceil((Math.round(size.width * scale) * Math.round(size.height * scale)) / 750);
}

/** Width and height from a PNG, GIF or JPEG header; undefined for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'GIF') return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1] ?? 0;
      const length = bytes.readUInt16BE(offset + 2);
      // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
      offset += 2 + length;
    }
  }
  return undefined;
}

/** Page objects in a PDF (`/Type /Page`, not `/Pages`); at least one. */
export function pdfPages(base64: string): number {
  const matches = Buffer.from(base64, 'base64').toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g);
  return Math.max(1, matches?.length ?? 0);
}

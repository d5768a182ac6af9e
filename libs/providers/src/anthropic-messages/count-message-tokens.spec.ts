import { countMessageTokens, imageSize, imageTokens, loadMessageTokenizer, pdfPages } from './count-message-tokens';

function png(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof0 = Buffer.alloc(11);
  sof0.writeUInt16BE(0xffc0, 0);
  sof0.writeUInt16BE(17, 2);
  sof0.writeUInt8(8, 4);
  sof0.writeUInt16BE(height, 5);
  sof0.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, Buffer.alloc(8)]);
}

const image = (bytes: Buffer, media_type: 'image/png' | 'image/jpeg' = 'image/png') => ({ type: 'image' as const, source: { type: 'base64' as const, media_type, data: bytes.toString('base64') } });

describe('countMessageTokens (o200k_base estimate)', () => {
  it('counts text with o200k_base plus 3 tokens a message and 3 for the reply', async () => {
    // "Hello, world" is 3 tokens, "You are a helpful assistant." 6
    expect(await countMessageTokens({ model: 'm', messages: [{ role: 'user', content: 'Hello, world' }] })).toEqual({ input_tokens: 3 + 3 + 3 });
    expect(await countMessageTokens({ model: 'm', system: 'You are a helpful assistant.', messages: [{ role: 'user', content: 'Hello, world' }] })).toEqual({ input_tokens: 3 + (3 + 6) + (3 + 3) });
    expect(await countMessageTokens({ model: 'm', system: [{ type: 'text', text: 'You are a helpful assistant.' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, world' }] }] })).toEqual({
      input_tokens: 18,
    });
  });

  it('uses o200k_base, not cl100k_base (they differ on Cyrillic: 6 tokens against 8)', async () => {
    expect((await countMessageTokens({ model: 'm', messages: [{ role: 'user', content: 'Привет, как дела?' }] })).input_tokens).toBe(3 + 3 + 6);
  });

  it('counts tools (name, description, input_schema), tool_use names and inputs and tool_result content', async () => {
    const schema = { type: 'object' as const, properties: { city: { type: 'string' } } };
    const count = await countMessageTokens({
      model: 'm',
      tools: [{ name: 'weather', description: 'Current weather', input_schema: schema }],
      messages: [
        { role: 'user', content: 'Hello, world' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '18°C' }] },
      ],
    });
    // tools 1 + 2 + 14; messages 3+3, 3+1+5, 3+2; reply 3
    expect(count.input_tokens).toBe(17 + 6 + 9 + 5 + 3);
  });

  it('leaves earlier reasoning out, as the translation does', async () => {
    const withThinking = await countMessageTokens({
      model: 'm',
      messages: [
        { role: 'user', content: 'Hello, world' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'a very long chain of thought', signature: 's' }, { type: 'text', text: 'Hello, world' }] },
      ],
    });
    expect(withThinking.input_tokens).toBe(3 + 6 + 6);
  });

  it('counts images by their size, as Anthropic does, and PDFs by their pages', async () => {
    expect((await countMessageTokens({ model: 'm', messages: [{ role: 'user', content: [image(png(1000, 1000))] }] })).input_tokens).toBe(3 + 3 + 1334);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type/Page >>\n').toString('base64');
    const doc = { type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: pdf } };
    expect((await countMessageTokens({ model: 'm', messages: [{ role: 'user', content: [doc] }] })).input_tokens).toBe(3 + 3 + 4000);
  });
});

describe('loadMessageTokenizer', () => {
  it('loads the tokenizer once and hands the same one to every caller', async () => {
    const [a, b] = await Promise.all([loadMessageTokenizer(), loadMessageTokenizer()]);
    expect(a).toBe(b);
    expect(a.encode('Hello, world')).toHaveLength(3);
  });
});

describe('image and PDF sizing', () => {
  it('reads PNG, JPEG and GIF sizes from the header bytes', () => {
    expect(imageSize(png(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSize(jpeg(800, 600))).toEqual({ width: 800, height: 600 });
    expect(imageSize(Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x03, 0x58, 0x02]))).toEqual({ width: 800, height: 600 });
    expect(imageSize(Buffer.from('not an image'))).toBeUndefined();
  });

  it('scales the long side to 1568 px before counting, and counts an unreadable image as 1600', () => {
    expect(imageTokens(image(png(3136, 1568)))).toBe(Math.ceil((1568 * 784) / 750));
    expect(imageTokens(image(jpeg(750, 100), 'image/jpeg'))).toBe(100);
    expect(imageTokens({ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } })).toBe(1600);
  });

  it('counts /Type /Page objects, not /Pages, and at least one', () => {
    expect(pdfPages(Buffer.from('/Type /Pages /Type /Page /Type/Page /Type /PageLabel').toString('base64'))).toBe(2);
    expect(pdfPages(Buffer.from('garbage').toString('base64'))).toBe(1);
  });
});

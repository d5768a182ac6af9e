import { PassThrough } from 'node:stream';
import { collectOutput } from './collect-output';

describe('collectOutput', () => {
  it('reads a stream to its end', async () => {
    const stream = new PassThrough();
    const collected = collectOutput(stream, { maxBytes: 100, timeoutMs: 1000 });
    stream.write('hello ');
    stream.end('world');
    await expect(collected).resolves.toEqual({ data: Buffer.from('hello world'), truncated: false, timedOut: false });
  });

  it('stops at the byte cap and closes the stream', async () => {
    const stream = new PassThrough();
    const collected = collectOutput(stream, { maxBytes: 5, timeoutMs: 1000 });
    stream.write('abc');
    stream.write('defgh');
    const result = await collected;
    expect(result).toEqual({ data: Buffer.from('abcde'), truncated: true, timedOut: false });
    expect(stream.destroyed).toBe(true);
  });

  it('accepts exactly the cap', async () => {
    const stream = new PassThrough();
    const collected = collectOutput(stream, { maxBytes: 5, timeoutMs: 1000 });
    stream.end('abcde');
    await expect(collected).resolves.toMatchObject({ data: Buffer.from('abcde'), truncated: false });
  });

  it('gives up at the deadline and closes the stream', async () => {
    const stream = new PassThrough();
    const collected = collectOutput(stream, { maxBytes: 100, timeoutMs: 30 });
    stream.write('partial');
    const result = await collected;
    expect(result).toEqual({ data: Buffer.from('partial'), truncated: false, timedOut: true });
    expect(stream.destroyed).toBe(true);
  });

  it('ends on close without end (a socket the other side dropped)', async () => {
    const stream = new PassThrough();
    const collected = collectOutput(stream, { maxBytes: 100, timeoutMs: 1000 });
    stream.write('x');
    setImmediate(() => stream.destroy());
    await expect(collected).resolves.toMatchObject({ data: Buffer.from('x'), truncated: false, timedOut: false });
  });

  it('passes a stream error on', async () => {
    const stream = new PassThrough();
    const collected = collectOutput(stream, { maxBytes: 100, timeoutMs: 1000 });
    stream.destroy(new Error('connection reset'));
    await expect(collected).rejects.toThrow('connection reset');
  });
});

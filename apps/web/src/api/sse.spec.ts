import { readSse, type SseEvent, SseParser } from './sse';

function streamOf(...pieces: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

describe('SseParser', () => {
  it('parses named events with JSON data, as /api/v1/events sends them', () => {
    const parser = new SseParser();
    expect(parser.feed(': connected\n\nevent: job.completed\ndata: {"type":"job.completed"}\n\n')).toEqual([{ event: 'job.completed', data: '{"type":"job.completed"}' }]);
  });

  it('defaults the event type to message and joins data lines with LF', () => {
    expect(new SseParser().feed('data: one\ndata: two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('returns an event only once its blank line has arrived, whatever the pieces', () => {
    const parser = new SseParser();
    const text = 'data: {"a":1}\n\ndata: [DONE]\n\n';
    const events: SseEvent[] = [];
    for (const char of text) events.push(...parser.feed(char));
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', '[DONE]']);
  });

  it('accepts CRLF and CR line ends, also a CRLF split between pieces', () => {
    const parser = new SseParser();
    expect(parser.feed('data: a\r')).toEqual([]);
    expect(parser.feed('\n\r\n')).toEqual([{ event: 'message', data: 'a' }]);
    // the second CR ends the event, but only the next piece shows it is not the start of a CRLF
    expect(parser.feed('data: b\r\r')).toEqual([]);
    expect(parser.feed('data: c\r\r\n')).toEqual([{ event: 'message', data: 'b' }, { event: 'message', data: 'c' }]);
  });

  it('skips comments, unknown fields and events without data; keeps one space after the colon only', () => {
    const parser = new SseParser();
    expect(parser.feed(': ping\n\nretry: 10\nfoo: bar\n\nevent: x\n\ndata:  two spaces\ndata\n\n')).toEqual([{ event: 'message', data: ' two spaces\n' }]);
  });

  it('remembers the last event id', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 7\ndata: a\n\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a', id: '7' }, { event: 'message', data: 'b', id: '7' }]);
  });

  it('drops a leading byte order mark', () => {
    expect(new SseParser().feed('\ufeffdata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split across chunks and reads to the end', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\n');
    const events: SseEvent[] = [];
    await readSse(streamOf(bytes.slice(0, 9), bytes.slice(9, 15), bytes.slice(15)), (e) => void events.push(e));
    expect(events).toEqual([{ event: 'message', data: 'héllo ✓' }]);
  });

  it('stops reading when the handler says so', async () => {
    const events: string[] = [];
    await readSse(streamOf('data: 1\n\ndata: 2\n\ndata: 3\n\n'), (e) => {
      events.push(e.data);
      return e.data === '2' ? 'stop' : undefined;
    });
    expect(events).toEqual(['1', '2']);
  });
});

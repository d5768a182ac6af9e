/** One Server-Sent Event as the WHATWG event-stream format defines it. */
export interface SseEvent {
  /** `message` when the stream names none */
  event: string;
  data: string;
  id?: string;
}

/**
 * An incremental event-stream parser: feed it text as it arrives, in any pieces, and it returns the
 * events completed so far. Lines end in LF, CRLF or CR (a CR at the end of a piece waits for the
 * next one, which may start with its LF); comments (`: ping`) and unknown fields are skipped.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private lastId: string | undefined;
  private started = false;

  feed(text: string): SseEvent[] {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      // a CR as the last character: its LF may come with the next piece
      if (char === '\r' && i === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, i);
      if (char === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const type = this.eventType;
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return undefined;
    return { event: type || 'message', data: data.join('\n'), ...(this.lastId !== undefined ? { id: this.lastId } : {}) };
  }
}

/** Reads an event stream (a fetch response body) to its end, calling `onEvent` for each event. */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void | 'stop'): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const events = parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      for (const event of events) if (onEvent(event) === 'stop') return;
      if (done) return;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

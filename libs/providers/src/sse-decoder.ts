export interface SseEvent {
  /** the `event:` field; undefined for plain `data:` events */
  event?: string;
  /** the `data:` lines of the event, joined by newlines */
  data: string;
}

/**
 * Server-Sent Events as the WHATWG spec parses them, fed text as it arrives (split anywhere, even
 * inside a line or between `\r` and `\n`): comments and unknown fields are skipped, an event is
 * dispatched at its blank line, one without data is dropped.
 */
export class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private event: string | undefined;
  /** a `\r` ended the last piece: a `\n` starting the next one belongs to it */
  private pendingCr = false;

  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (this.pendingCr && text.startsWith('\n')) start = 1;
    this.pendingCr = false;
    let buffer = this.buffer + text.slice(start);
    let lineStart = 0;
    for (let i = 0; i < buffer.length; i++) {
      const char = buffer.charCodeAt(i);
      if (char !== 10 && char !== 13) continue;
      this.line(buffer.slice(lineStart, i), events);
      if (char === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCr = true;
        }
      }
      lineStart = i + 1;
    }
    buffer = buffer.slice(lineStart);
    this.buffer = buffer;
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push({ data: this.data.join('\n'), ...(this.event === undefined ? {} : { event: this.event }) });
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}

/** An event written back as SSE, as it was decoded (a multi-line `data` keeps its lines). */
export function serializeSseEvent(event: SseEvent): string {
  const name = event.event === undefined ? '' : `event: ${event.event}\n`;
  return `${name}data: ${event.data.split('\n').join('\ndata: ')}\n\n`;
}

import { SseDecoder, serializeSseEvent } from './sse-decoder';

describe('SseDecoder', () => {
  it('dispatches events at blank lines, joins data lines, skips comments and unknown fields', () => {
    const decoder = new SseDecoder();
    expect(decoder.push(': hello\nid: 1\ndata: a\ndata:b\n\nevent: error\ndata: {"x":1}\n\n\n\ndata')).toEqual([
      { data: 'a\nb' },
      { event: 'error', data: '{"x":1}' },
    ]);
    // a field without a colon has an empty value
    expect(decoder.push('\n\n')).toEqual([{ data: '' }]);
  });

  it('gives the same events however the text is split, with LF, CRLF or CR line ends', () => {
    for (const end of ['\n', '\r\n', '\r']) {
      const wire = `data: one${end}${end}data: two${end}data:  three${end}${end}event: e${end}${end}`;
      for (let cut = 0; cut <= wire.length; cut++) {
        const decoder = new SseDecoder();
        const events = [...decoder.push(wire.slice(0, cut)), ...decoder.push(wire.slice(cut))];
        expect(events).toEqual([{ data: 'one' }, { data: 'two\n three' }]);
      }
    }
  });

  it('keeps an unfinished event until its blank line', () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: [DO')).toEqual([]);
    expect(decoder.push('NE]\n')).toEqual([]);
    expect(decoder.push('\n')).toEqual([{ data: '[DONE]' }]);
  });
});

describe('serializeSseEvent', () => {
  it('writes an event the decoder reads back the same, multi-line data included', () => {
    const events = [{ event: 'message_start', data: '{"type":"message_start"}' }, { data: 'one\ntwo' }];
    expect(serializeSseEvent(events[0])).toBe('event: message_start\ndata: {"type":"message_start"}\n\n');
    expect(new SseDecoder().push(events.map(serializeSseEvent).join(''))).toEqual(events);
  });
});

import { SseDecoder } from './sse-decoder';

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

import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { RequestRecorder } from './request-recorder';

function request(headers: Record<string, string>, url = '/v1/chat/completions'): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.url = url;
  req.headers = headers;
  return req;
}

describe('RequestRecorder', () => {
  it('keeps the raw body byte for byte and redacts credentials but not their scheme', () => {
    const recorder = new RequestRecorder();
    const raw = '{"model":"m",  "messages":[]}';
    recorder.record(request({ authorization: 'Bearer sk-secret', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }), Buffer.from(raw));
    const [recorded] = recorder.list();
    expect(recorded.body).toBe(raw);
    expect(recorded.headers).toMatchObject({ authorization: 'Bearer [redacted]', 'x-api-key': '[redacted]', 'anthropic-version': '2023-06-01' });
    expect(JSON.stringify(recorded)).not.toContain('sk-secret');
  });

  it('keeps the newest 100, oldest first, and clears', () => {
    const recorder = new RequestRecorder();
    for (let i = 0; i < 105; i++) recorder.record(request({}, `/r/${i}`), undefined);
    expect(recorder.list()).toHaveLength(100);
    expect(recorder.list()[0].url).toBe('/r/5');
    expect(recorder.list(2).map((r) => r.url)).toEqual(['/r/103', '/r/104']);
    recorder.clear();
    expect(recorder.list()).toEqual([]);
  });
});

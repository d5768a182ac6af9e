import { MAX_UPSTREAM_TEXT_CHARS, safeUpstreamText } from './safe-upstream-text';

describe('safeUpstreamText', () => {
  it('passes a provider message through', () => {
    expect(safeUpstreamText("The model 'gpt-9' does not exist or you do not have access to it.")).toBe("The model 'gpt-9' does not exist or you do not have access to it.");
    expect(safeUpstreamText('max_tokens is too large: 999999. This model supports at most 4096 completion tokens')).toMatch(/^max_tokens is too large: 999999\./);
  });

  it.each([
    ['connect ECONNREFUSED 10.0.3.7:11434', 'connect ECONNREFUSED [address]'],
    ['connect ECONNREFUSED ::1:8000', 'connect ECONNREFUSED [address]'],
    ['connect EHOSTUNREACH [fd00::12]:443', 'connect EHOSTUNREACH [address]'],
    ['connect ETIMEDOUT fe80::1%eth0', 'connect ETIMEDOUT [address]'],
    ['getaddrinfo ENOTFOUND ollama.internal', 'getaddrinfo ENOTFOUND [host]'],
    ['upstream http://10.0.0.5:8000/v1/chat/completions answered 500', 'upstream [url] answered 500'],
    ['refused: vllm.lan resolves to 169.254.169.254 is a link-local or cloud-metadata address', 'refused: vllm.lan resolves to [address] is a link-local or cloud-metadata address'],
  ])('takes our addresses out of %s', (text, safe) => {
    expect(safeUpstreamText(text)).toBe(safe);
  });

  it.each([
    'echo: POST /v1/models HTTP/1.1\r\nAuthorization: Bearer sk-live-abcdefghijklmnop\r\nHost: x',
    '{"headers":{"authorization":"Bearer abcdefghijklmnopqrstuvwxyz"}}',
    'x-api-key: ant-0123456789abcdef-xyz rejected',
    'x-goog-api-key=AIzaSyA0123456789 invalid',
    'invalid api-key: "azure0123456789abcdef"',
    'Cookie: session=abcdefghijklmnop',
  ])('never passes on a credential echoed in %j', (text) => {
    const safe = safeUpstreamText(text);
    expect(safe).not.toMatch(/sk-live|abcdefghijklmnop|ant-0123|AIzaSy|azure0123/);
    expect(safe).toMatch(/\[redacted\]/);
  });

  it('takes out the caller’s own secret wherever it appears', () => {
    expect(safeUpstreamText('key zz-custom-key-1 is invalid', 300, ['zz-custom-key-1'])).toBe('key [redacted] is invalid');
  });

  it('collapses whitespace and cuts long text', () => {
    expect(safeUpstreamText('a\n\n  b\tc')).toBe('a b c');
    const long = safeUpstreamText('word '.repeat(500));
    expect(long).toHaveLength(MAX_UPSTREAM_TEXT_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(safeUpstreamText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

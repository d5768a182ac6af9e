import { keptBodies, MAX_KEPT_BODY_CHARS, withoutCredentials } from './request-log-bodies';

describe('withoutCredentials', () => {
  it('redacts fields that name a credential, at any depth', () => {
    expect(withoutCredentials({ model: 'm', api_key: 'abc', nested: [{ Authorization: 'Bearer x', password: 'p', content: 'hi' }] })).toEqual({
      model: 'm',
      api_key: '[redacted]',
      nested: [{ Authorization: '[redacted]', password: '[redacted]', content: 'hi' }],
    });
  });

  it('redacts credential-shaped text inside strings and keeps the rest', () => {
    const key = `ish_${'a'.repeat(40)}`;
    expect(withoutCredentials({ content: `my key is ${key} and Bearer abcdefghijklmnop` })).toEqual({ content: 'my key is [redacted] and Bearer [redacted]' });
  });

  it('removes NUL characters, which jsonb refuses', () => {
    expect(withoutCredentials(['a\u0000b'])).toEqual(['ab']);
  });
});

describe('keptBodies', () => {
  it('keeps both bodies, null for an absent one', () => {
    expect(keptBodies({ messages: [] }, undefined)).toEqual({ request: { messages: [] }, response: null });
  });

  it('cuts a body longer than MAX_KEPT_BODY_CHARS and says so', () => {
    const { request } = keptBodies({ content: 'x'.repeat(MAX_KEPT_BODY_CHARS) }, null) as { request: { truncated: boolean; text: string } };
    expect(request.truncated).toBe(true);
    expect(request.text).toHaveLength(MAX_KEPT_BODY_CHARS);
  });
});

import { actsAsAdmin, capScopes, coversAll, hasScope } from './scopes';

describe('scopes', () => {
  it('admin implies every scope', () => {
    expect(hasScope(['admin'], ['instances:write'])).toBe(true);
    expect(coversAll(['admin'], ['admin', 'chat'])).toBe(true);
  });

  it('a chat key cannot write instances', () => {
    expect(hasScope(['chat'], ['instances:write'])).toBe(false);
    expect(hasScope(['chat'], ['chat'])).toBe(true);
    expect(hasScope(['chat'], [])).toBe(true);
  });

  it('a user cannot mint scopes they lack', () => {
    expect(coversAll(['chat', 'webhooks'], ['chat'])).toBe(true);
    expect(coversAll(['chat'], ['chat', 'admin'])).toBe(false);
  });
});

describe('capScopes: a key holds no more than its owner role allows, at every use', () => {
  const every = ['chat', 'webhooks', 'instances:read', 'instances:write', 'android:read', 'android:execute', 'admin'] as const;

  it('a user keeps chat and webhooks only', () => {
    expect(capScopes([...every], 'user')).toEqual(['chat', 'webhooks']);
  });

  it('an operator also keeps instances and android, never admin', () => {
    expect(capScopes([...every], 'operator')).toEqual(['chat', 'webhooks', 'instances:read', 'instances:write', 'android:read', 'android:execute']);
  });

  it('an admin keeps what the key says, and only that', () => {
    expect(capScopes(['admin'], 'admin')).toEqual(['admin']);
    expect(capScopes(['chat'], 'admin')).toEqual(['chat']);
  });

  it('a demoted admin key loses admin', () => {
    expect(capScopes(['admin'], 'operator')).toEqual([]);
    expect(capScopes(['admin', 'chat'], 'user')).toEqual(['chat']);
  });
});

describe('actsAsAdmin', () => {
  it('goes by the credential scope, not the role', () => {
    expect(actsAsAdmin({ scopes: ['admin'] })).toBe(true);
    expect(actsAsAdmin({ scopes: ['chat'] })).toBe(false);
  });
});

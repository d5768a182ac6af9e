import { coversAll, hasScope } from './scopes';

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

import { bullConnection } from './bull-connection';

describe('bullConnection', () => {
  it('reads host, port, credentials, db and TLS from the URL', () => {
    expect(bullConnection('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
      maxLoadingRetryTime: 100,
    });
    expect(bullConnection('redis://127.0.0.1')).toMatchObject({ port: 6379, db: 0, tls: undefined, password: undefined });
  });
});

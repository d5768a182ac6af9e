import { mergeOpenApi, overallStatus, parseHealthTargets } from './health-targets';

describe('parseHealthTargets', () => {
  it('reads services with one or several URLs', () => {
    const targets = parseHealthTargets('auth=http://a:8001/, worker=http://w1:8005|http://w2:8006');
    expect(targets.get('auth')).toEqual(['http://a:8001']);
    expect(targets.get('worker')).toEqual(['http://w1:8005', 'http://w2:8006']);
  });

  it('rejects an entry without a name', () => {
    expect(() => parseHealthTargets('http://a:8001')).toThrow('not name=url');
  });
});

describe('overallStatus', () => {
  it('is degraded when any service is down', () => {
    expect(overallStatus({ auth: 'up', relay: 'up' })).toBe('ok');
    expect(overallStatus({ auth: 'up', relay: 'down' })).toBe('degraded');
  });
});

describe('mergeOpenApi', () => {
  it('keeps every service path and schema', () => {
    const base = { openapi: '3.0.0', info: { title: 'ISH Chat', version: '1' }, paths: {} };
    const merged = mergeOpenApi(base, [
      { ...base, paths: { '/api/v1/relay': { post: {} } }, components: { schemas: { RelayRequest: {} } }, tags: [{ name: 'relay' }] },
      { ...base, paths: { '/api/v1/auth/login': { post: {} } }, components: { schemas: { Login: {} } }, tags: [{ name: 'auth' }] },
    ]);
    expect(Object.keys(merged.paths)).toEqual(['/api/v1/auth/login', '/api/v1/relay']);
    expect(Object.keys(merged.components?.schemas ?? {})).toEqual(['RelayRequest', 'Login']);
    expect(merged.tags?.map((t) => t.name)).toEqual(['relay', 'auth']);
  });
});

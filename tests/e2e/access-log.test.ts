// The access log of an app: one JSON line per request, with the request id, method, URL, status and
// time — and never the credential the request carried.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { APP_PORTS, serviceUrl, STACK_DIR, api, signUp, waitFor } from '@ish/test-support';

const RELAY_LOG = resolve(STACK_DIR, 'logs', `relay-${APP_PORTS.relay}.log`);

function linesWith(needle: string): Record<string, unknown>[] {
  return readFileSync(RELAY_LOG, 'utf8')
    .split('\n')
    .filter((line) => line.includes(needle))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('access log', () => {
  it('logs each request once with its id, method, URL, status and time, and no credential', async () => {
    const user = await signUp('access-log');
    const requestId = `access-log-${Date.now().toString(36)}`;
    const response = await api('GET', '/api/v1/models?limit=1', { token: user.accessToken, base: serviceUrl('relay'), headers: { 'x-request-id': requestId } });
    expect(response.status).toBe(200);
    const [line] = await waitFor('the access log line', async () => {
      const found = linesWith(requestId).filter((l) => l.msg === 'request completed');
      return found.length > 0 ? found : undefined;
    }, 5000, 50);
    expect(line).toMatchObject({ level: 30, service: 'relay', requestId, method: 'GET', url: '/api/v1/models?limit=1', statusCode: 200, responseTime: expect.any(Number) });
    expect(linesWith(requestId).filter((l) => l.msg === 'request completed')).toHaveLength(1);

    const unauthorized = `access-log-401-${Date.now().toString(36)}`;
    await api('GET', '/api/v1/models', { token: 'ish_not-a-real-key-but-secret-looking', base: serviceUrl('relay'), headers: { 'x-request-id': unauthorized } });
    await waitFor('the 401 line', async () => linesWith(unauthorized).some((l) => l.statusCode === 401), 5000, 50);
    const log = readFileSync(RELAY_LOG, 'utf8');
    expect(log).not.toContain(user.accessToken);
    expect(log).not.toContain('ish_not-a-real-key-but-secret-looking');
  });
});

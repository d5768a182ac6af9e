import { SERVICE_NAMES } from '@ish/contracts';
import { APP_PORTS, GATEWAY_URL, serviceUrl, waitFor } from '@ish/test-support';

async function expectApiError(response: Response, status: number, type: string): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  expect(response.headers.get('x-request-id')).toBeTruthy();
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(body.error).toEqual(expect.objectContaining({ type, code: expect.any(String), message: expect.any(String) }));
  expect(JSON.stringify(body)).not.toMatch(/at \S+\.(js|ts):\d+/);
  return body.error;
}

describe('the gateway in front of the five services', () => {
  it('reports every service up at /api/v1/health', async () => {
    const health = await waitFor('every service up', async () => {
      const body = (await (await fetch(`${GATEWAY_URL}/api/v1/health`)).json()) as { status: string; services: Record<string, string> };
      return body.status === 'ok' ? body : undefined;
    });
    expect(health.services).toEqual(Object.fromEntries(SERVICE_NAMES.map((s) => [s, 'up'])));
    expect(health).toEqual(expect.objectContaining({ version: expect.any(String), timestamp: expect.any(String) }));
  });

  it('answers an unknown path with the API.md error shape', async () => {
    await expectApiError(await fetch(`${GATEWAY_URL}/api/v1/no-such-thing`), 404, 'not_found_error');
    await expectApiError(await fetch(`${GATEWAY_URL}/nothing/here`), 404, 'not_found_error');
    // an unknown path under a service's prefix reaches the service, which answers the same way
    await expectApiError(await fetch(`${GATEWAY_URL}/api/v1/instances/a/b/c/d`), 404, 'not_found_error');
  });

  it('answers a malformed JSON body with 400 invalid_json, never HTML', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/relay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message": ' });
    const error = await expectApiError(response, 400, 'invalid_request_error');
    expect(error.code).toBe('invalid_json');
  });

  it('answers an oversize body with 413 in the same shape', async () => {
    // past the gateway's 32 MiB (MAX_REQUEST_BYTES' default)
    const body = JSON.stringify({ message: 'x'.repeat(40 * 1024 * 1024) });
    const response = await fetch(`${GATEWAY_URL}/api/v1/relay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const error = await expectApiError(response, 413, 'invalid_request_error');
    expect(error.code).toBe('payload_too_large');
  });

  it('carries the caller\'s x-request-id through and back', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/health`, { headers: { 'x-request-id': 'e2e-trace-1' } });
    expect(response.headers.get('x-request-id')).toBe('e2e-trace-1');
    const generated = await fetch(`${GATEWAY_URL}/api/v1/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serves one OpenAPI document and Swagger UI', async () => {
    const document = (await (await fetch(`${GATEWAY_URL}/api/v1/openapi.json`)).json()) as { openapi: string; info: { title: string } };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('ISH Chat API');
    const docs = await fetch(`${GATEWAY_URL}/api/v1/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('keeps /metrics inside: not through the gateway, but on every service port', async () => {
    await expectApiError(await fetch(`${GATEWAY_URL}/metrics`), 404, 'not_found_error');
    for (const service of SERVICE_NAMES) {
      const text = await (await fetch(`${serviceUrl(service)}/metrics`)).text();
      expect(text).toContain('# TYPE http_requests_total counter');
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(text).toContain('process_resident_memory_bytes');
    }
  });

  it('reports readiness per dependency on every service', async () => {
    for (const service of SERVICE_NAMES) {
      const response = await fetch(`http://127.0.0.1:${APP_PORTS[service]}/health/ready`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { status: string; info: Record<string, unknown> };
      expect(Object.keys(body.info)).toEqual(expect.arrayContaining(['database', 'redis', 'rabbitmq']));
    }
  });

  it('relay and worker load the routing table from instance-manager by request/reply', async () => {
    for (const service of ['relay', 'worker'] as const) {
      const body = (await (await fetch(`${serviceUrl(service)}/health/ready`)).json()) as { info: Record<string, { status: string; version?: number }> };
      expect(body.info['routing-table']).toEqual(expect.objectContaining({ status: 'up', version: expect.any(Number) }));
    }
    const worker = (await (await fetch(`${serviceUrl('worker')}/health/ready`)).json()) as { info: Record<string, { status: string }> };
    expect(worker.info.consumers.status).toBe('up');
  });
});

import { testSecrets, api, addSimInstance, waitForModel, startApp, waitReady } from '@ish/test-support';

describe('graceful shutdown', () => {
  it('SIGTERM: the relay stops taking work, finishes the request in flight, and exits 0', async () => {
    const model = `shutdown-${Date.now().toString(36)}`;
    const slow = await addSimInstance(model, { models: [model], latencyMs: 1000 });
    const relay = startApp('relay', { port: 18032 });
    try {
      await waitReady(relay);
      await waitForModel(model);
      const inFlight = api<{ reply: string }>('POST', '/api/v1/chat/completions', {
        token: testSecrets().adminApiKey,
        base: relay.url,
        body: { model, messages: [{ role: 'user', content: 'finish me' }] },
      });
      await new Promise((r) => setTimeout(r, 300));
      relay.child.kill('SIGTERM');
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(await relay.exited).toBe(0);
      // closed to new work
      await expect(fetch(`${relay.url}/health`)).rejects.toThrow();
    } finally {
      relay.child.kill('SIGKILL');
      await slow.close();
    }
  });
});

import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RelayReply, RoutingPolicyView } from '@ish/contracts';
import { GATEWAY_URL, testSecrets, api, newUserKey, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';

type JobView = { status: string; result?: RelayReply };
type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };

const RUN = Date.now().toString(36);
const FIRST = `alias-first-${RUN}`;
const SECOND = `alias-second-${RUN}`;
const ALIAS = `fast-${RUN}`;
const UNSERVED_ALIAS = `nowhere-${RUN}`;
let first: SimInstance;
let second: SimInstance;
let key: string;
let previous: RoutingPolicyView;

const admin = () => testSecrets().adminApiKey;
const openai = () => new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key, maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: `${GATEWAY_URL}/api`, apiKey: key, maxRetries: 0 });
const modelsAsked = (instance: SimInstance) => instance.sim.requests().map((request) => (JSON.parse(request.body || '{}') as { model?: string }).model);

beforeAll(async () => {
  first = await addSimInstance(`alias-a-${RUN}`, { models: [FIRST] }, { priority: 0 });
  second = await addSimInstance(`alias-b-${RUN}`, { models: [SECOND] }, { priority: 1 });
  previous = (await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin() })).body;
  const put = await api('PUT', '/api/v1/routing', {
    token: admin(),
    body: { ...previous, strategy: 'priority-failover', aliases: { [ALIAS]: [FIRST, SECOND], [UNSERVED_ALIAS]: [`claude-nothing-${RUN}`] } },
  });
  expect(put.status).toBe(200);
  await waitForModel(FIRST);
  await waitForModel(SECOND);
  await waitForModel(ALIAS);
  key = await newUserKey('aliases');
});

afterAll(async () => {
  if (previous) await api('PUT', '/api/v1/routing', { token: admin(), body: previous });
  await first?.close();
  await second?.close();
});

beforeEach(() => {
  first.sim.setFault({ mode: 'none' });
  first.sim.clearRequests();
  second.sim.clearRequests();
});

describe('routing aliases (API.md "Instances": routing)', () => {
  it('are listed by /models owned by "ish", only when a healthy instance serves one of their models', async () => {
    const listed = (await openai().models.list()).data;
    expect(listed).toContainEqual(expect.objectContaining({ id: ALIAS, object: 'model', owned_by: 'ish' }));
    expect(listed.map((model) => model.id)).not.toContain(UNSERVED_ALIAS);
  });

  it('route chat completions to the first model of the alias; x-ish-model names it', async () => {
    const { data, response } = await openai().chat.completions.create({ model: ALIAS, messages: [{ role: 'user', content: 'hello alias' }] }).withResponse();
    expect(response.headers.get('x-ish-model')).toBe(FIRST);
    expect(response.headers.get('x-ish-instance')).toBe(first.id);
    expect(data.model).toBe(FIRST);
    expect(modelsAsked(first)).toEqual([FIRST]);
    expect(second.sim.requests()).toHaveLength(0);
  });

  it('answer with the next model when the first one fails, on chat, stream, embeddings, messages, relay and async jobs', async () => {
    first.sim.setFault({ mode: 'error503' });
    const chat = await openai().chat.completions.create({ model: ALIAS, messages: [{ role: 'user', content: 'fail over' }] }).withResponse();
    expect(chat.response.headers.get('x-ish-model')).toBe(SECOND);
    expect(chat.response.headers.get('x-ish-instance')).toBe(second.id);
    expect(first.sim.stats().errors).toBeGreaterThan(0);

    const stream = await openai().chat.completions.create({ model: ALIAS, stream: true, messages: [{ role: 'user', content: 'stream over' }] }).withResponse();
    expect(stream.response.headers.get('x-ish-model')).toBe(SECOND);
    for await (const chunk of stream.data) expect(chunk.model).toBe(SECOND);

    const embeddings = await openai().embeddings.create({ model: ALIAS, input: 'embed over', encoding_format: 'float', dimensions: 8 }).withResponse();
    expect(embeddings.response.headers.get('x-ish-model')).toBe(SECOND);

    const messages = await anthropic().messages.create({ model: ALIAS, max_tokens: 50, messages: [{ role: 'user', content: 'messages over' }] }).withResponse();
    expect(messages.response.headers.get('x-ish-model')).toBe(SECOND);

    const relay = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body: { message: 'relay over', model: ALIAS } });
    expect(relay.status).toBe(200);
    expect(relay.body.model).toBe(SECOND);
    expect(relay.body.instanceId).toBe(second.id);

    // an async job resolves the alias on a worker, from the worker's own copy of the routing table
    const submitted = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { message: 'job over', model: ALIAS, mode: 'async' } });
    expect(submitted.status).toBe(202);
    const job = await waitFor(`job ${submitted.body.jobId} to finish`, async () => {
      const view = (await api<JobView>('GET', `/api/v1/jobs/${submitted.body.jobId}`, { token: key })).body;
      return view.status === 'completed' || view.status === 'failed' ? view : undefined;
    }, 30_000, 200);
    expect(job).toMatchObject({ status: 'completed', result: { model: SECOND, instanceId: second.id } });

    // the alias name itself never reaches a provider
    expect([...modelsAsked(first), ...modelsAsked(second)]).not.toContain(ALIAS);
  });

  it('skip a model whose instance is down without trying it, and leave /models when none of their models is served', async () => {
    const enable = (instance: SimInstance, enabled: boolean) => api('PATCH', `/api/v1/instances/${instance.id}`, { token: admin(), body: { enabled } });
    try {
      expect((await enable(first, false)).status).toBe(200);
      await waitForModel(FIRST, false);
      const { response } = await openai().chat.completions.create({ model: ALIAS, messages: [{ role: 'user', content: 'first is down' }] }).withResponse();
      expect(response.headers.get('x-ish-model')).toBe(SECOND);
      expect(first.sim.requests().filter((request) => request.url.includes('/chat/completions'))).toHaveLength(0);
      expect((await openai().models.list()).data.map((model) => model.id)).toContain(ALIAS);

      expect((await enable(second, false)).status).toBe(200);
      await waitForModel(ALIAS, false);
    } finally {
      await enable(first, true);
      await enable(second, true);
    }
    await waitForModel(ALIAS);
  });

  it('answer 404 model_not_found when no instance serves any model of the alias', async () => {
    const refused = await api<ErrorBody>('POST', '/api/v1/chat/completions', { token: key, body: { model: UNSERVED_ALIAS, messages: [{ role: 'user', content: 'hi' }] } });
    expect(refused.status).toBe(404);
    expect(refused.body.error).toMatchObject({ code: 'model_not_found', param: 'model' });
  });

  it.each([
    [{ aliases: { [ALIAS]: [] } }, 'aliases'],
    [{ aliases: { [ALIAS]: 'gpt-4o' } }, 'aliases'],
    [{ aliases: { [ALIAS]: [FIRST], other: [ALIAS] } }, 'aliases'],
    [{ aliases: { [FIRST]: [SECOND] } }, `aliases.${FIRST}`],
  ])('refuse %j with 400 naming %s', async (change, field) => {
    const refused = await api<ErrorBody>('PUT', '/api/v1/routing', { token: admin(), body: { strategy: 'priority-failover', ...change } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'validation_failed' });
    expect(refused.body.error.details?.map((detail) => detail.field)).toContain(field);
    // the policy in force is unchanged
    expect((await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin() })).body.aliases[ALIAS]).toEqual([FIRST, SECOND]);
  });
});

import OpenAI from 'openai';
import type { HealthCheckResult, InstanceView, RoutingPolicyView } from '@ish/contracts';
import { GATEWAY_URL, testSecrets, api, newUserKey, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };
type UsageModel = { model: string; provider: string; unpriced: boolean; requests: number; promptTokens: number; completionTokens: number; costUsd: number };

const RUN = Date.now().toString(36);
const admin = () => testSecrets().adminApiKey;
// a price of $1 per token: the logged cost equals the token count, readable in the log's six decimals
const GEMINI_MODEL = `gemini-2.5-flash-${RUN}`;
const AZURE_MODEL = `gpt-4o-mini-${RUN}`;
const AZURE_DEPLOYMENT = `prod-mini-${RUN}`;
// no price anywhere: logged at 0 and marked unpriced
const ANTHROPIC_MODEL = `claude-sim-${RUN}`;
const FAILOVER_MODEL = `failover-${RUN}`;

let gemini: SimInstance;
let azure: SimInstance;
let anthropic: SimInstance;
let failing: SimInstance;
let standby: SimInstance;
let key: string;
let previousPolicy: RoutingPolicyView | undefined;

const client = () => new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key, maxRetries: 0 });

async function usageOf(model: string, requests: number): Promise<UsageModel> {
  return waitFor(`${model} in the request log`, async () => {
    const usage = await api<{ models: UsageModel[] }>('GET', '/api/v1/admin/usage', { token: admin() });
    const row = usage.body.models.find((m) => m.model === model);
    return row && row.requests >= requests ? row : undefined;
  }, 5000, 100);
}

async function plainAndStreamed(model: string, simName: string) {
  const completion = await client().chat.completions.create({ model, messages: [{ role: 'user', content: 'hello over the native protocol' }] });
  expect(completion.choices[0].message.content).toBe(`[provider-sim ${simName}] hello over the native protocol`);
  expect(completion.choices[0].finish_reason).toBe('stop');
  expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
  expect(completion.usage?.completion_tokens).toBeGreaterThan(0);

  const stream = await client().chat.completions.create({ model, messages: [{ role: 'user', content: 'stream these words' }], stream: true, stream_options: { include_usage: true } });
  let text = '';
  let usage: OpenAI.CompletionUsage | null | undefined;
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe(`[provider-sim ${simName}] stream these words`);
  expect(finish).toBe('stop');
  expect(usage?.completion_tokens).toBeGreaterThan(0);
  return { completion, usage: usage! };
}

beforeAll(async () => {
  previousPolicy = (await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin() })).body;
  // the failing Anthropic instance (priority 0) is tried before the OpenAI-protocol one (priority 1)
  await api('PUT', '/api/v1/routing', { token: admin(), body: { ...previousPolicy, strategy: 'priority-failover' } });
  gemini = await addSimInstance(`gemini-${RUN}`, { protocol: 'gemini', models: [GEMINI_MODEL], apiKey: 'g-key' }, {
    providerType: 'gemini',
    apiKey: 'g-key',
    prices: { [GEMINI_MODEL]: { inputPerMTok: 1_000_000, outputPerMTok: 1_000_000 } },
  });
  azure = await addSimInstance(`azure-${RUN}`, { models: [AZURE_DEPLOYMENT], apiKey: 'az-key' }, {
    providerType: 'azure-openai',
    apiKey: 'az-key',
    models: [AZURE_MODEL],
    apiVersion: '2024-10-21',
    deployments: { [AZURE_MODEL]: AZURE_DEPLOYMENT },
  });
  anthropic = await addSimInstance(`anthropic-${RUN}`, { protocol: 'anthropic', models: [ANTHROPIC_MODEL], apiKey: 'a-key' }, { providerType: 'anthropic', apiKey: 'a-key', defaultMaxTokens: 300 });
  failing = await addSimInstance(`overloaded-${RUN}`, { protocol: 'anthropic', models: [FAILOVER_MODEL], apiKey: 'a-key' }, { providerType: 'anthropic', apiKey: 'a-key', priority: 0 });
  standby = await addSimInstance(`openai-${RUN}`, { models: [FAILOVER_MODEL] }, { priority: 1 });
  await Promise.all([GEMINI_MODEL, AZURE_MODEL, ANTHROPIC_MODEL, FAILOVER_MODEL].map((model) => waitForModel(model)));
  key = await newUserKey('providers');
});

afterAll(async () => {
  await Promise.all([gemini, azure, anthropic, failing, standby].map((instance) => instance?.close()));
  if (previousPolicy) await api('PUT', '/api/v1/routing', { token: admin(), body: previousPolicy });
});

describe('a Gemini instance (native generateContent through the openai SDK)', () => {
  it('answers plain and streamed, sending the key as x-goog-api-key to generateContent', async () => {
    await plainAndStreamed(GEMINI_MODEL, `gemini-${RUN}`);
    const [plain, streamed] = gemini.sim.requests().filter((r) => r.url.includes(':'));
    expect(plain.url).toBe(`/v1beta/models/${GEMINI_MODEL}:generateContent`);
    expect(streamed.url).toBe(`/v1beta/models/${GEMINI_MODEL}:streamGenerateContent?alt=sse`);
    expect(JSON.parse(plain.body)).toMatchObject({ contents: [{ role: 'user', parts: [{ text: 'hello over the native protocol' }] }] });
  });

  it("logs the cost at the instance's own price", async () => {
    const logged = await usageOf(GEMINI_MODEL, 2);
    expect(logged).toMatchObject({ provider: 'gemini', unpriced: false });
    expect(logged.costUsd).toBeCloseTo(logged.promptTokens + logged.completionTokens, 6);
  });

  it('becomes healthy through its own probe (GET /v1beta/models)', async () => {
    const probe = await api<HealthCheckResult>('POST', `/api/v1/instances/${gemini.id}/health-check`, { token: admin() });
    expect(probe.body).toMatchObject({ ok: true, status: 'healthy' });
    expect(gemini.sim.requests().some((r) => r.url.startsWith('/v1beta/models?'))).toBe(true);
  });
});

describe('an Azure OpenAI instance (deployments and api-version)', () => {
  it('answers plain and streamed through the deployment, with the api-key header', async () => {
    await plainAndStreamed(AZURE_MODEL, `azure-${RUN}`);
    const chat = azure.sim.requests().filter((r) => r.url.includes('/chat/completions'));
    expect(chat.map((r) => r.url)).toEqual([
      `/v1/openai/deployments/${AZURE_DEPLOYMENT}/chat/completions?api-version=2024-10-21`,
      `/v1/openai/deployments/${AZURE_DEPLOYMENT}/chat/completions?api-version=2024-10-21`,
    ]);
    expect(JSON.parse(chat[0].body).model).toBeUndefined();
  });

  it("logs the cost at the built-in price of the model family (gpt-4o-mini's)", async () => {
    const logged = await usageOf(AZURE_MODEL, 2);
    expect(logged).toMatchObject({ provider: 'azure-openai', unpriced: false });
    expect(logged.costUsd).toBeCloseTo((logged.promptTokens * 0.15 + logged.completionTokens * 0.6) / 1e6, 6);
  });

  it('shows its settings, and takes new ones', async () => {
    const view = (await api<InstanceView>('GET', `/api/v1/instances/${azure.id}`, { token: admin() })).body;
    expect(view).toMatchObject({ providerType: 'azure-openai', apiVersion: '2024-10-21', deployments: { [AZURE_MODEL]: AZURE_DEPLOYMENT } });
    const cleared = await api<InstanceView>('PATCH', `/api/v1/instances/${azure.id}`, { token: admin(), body: { prices: { [AZURE_MODEL]: { inputPerMTok: 1, outputPerMTok: 2 } } } });
    expect(cleared.body.prices).toEqual({ [AZURE_MODEL]: { inputPerMTok: 1, outputPerMTok: 2 } });
    expect(cleared.body.apiVersion).toBe('2024-10-21');
  });
});

describe('an Anthropic instance (native Messages API)', () => {
  it('answers plain and streamed on /v1/messages with the version header and the instance max_tokens', async () => {
    await plainAndStreamed(ANTHROPIC_MODEL, `anthropic-${RUN}`);
    const messages = anthropic.sim.requests().filter((r) => r.url === '/v1/messages');
    expect(messages).toHaveLength(2);
    expect(messages[0].headers['anthropic-version']).toBe('2026-10-21');
    expect(JSON.parse(messages[0].body)).toMatchObject({ model: ANTHROPIC_MODEL, max_tokens: 300 });
  });

  it('logs a model without any price at 0, marked unpriced', async () => {
    expect(await usageOf(ANTHROPIC_MODEL, 2)).toMatchObject({ provider: 'anthropic', unpriced: true, costUsd: 0 });
  });

  it('becomes healthy through its own probe (GET /v1/models with anthropic-version)', async () => {
    const probe = await api<HealthCheckResult>('POST', `/api/v1/instances/${anthropic.id}/health-check`, { token: admin() });
    expect(probe.body).toMatchObject({ ok: true, status: 'healthy' });
    const listed = anthropic.sim.requests().filter((r) => r.url.startsWith('/v1/models'));
    expect(listed.at(-1)?.headers['anthropic-version']).toBe('2026-10-21');
  });

  it('fails over within one request from an overloaded (529) Anthropic instance to an OpenAI-protocol one', async () => {
    const before = failing.sim.stats().chatCompletions;
    failing.sim.setFault({ mode: 'error503' });
    try {
      const completion = await client().chat.completions.create({ model: FAILOVER_MODEL, messages: [{ role: 'user', content: 'survive the overload' }] });
      expect(completion.choices[0].message.content).toBe(`[provider-sim openai-${RUN}] survive the overload`);
    } finally {
      failing.sim.clearFault();
    }
    expect(failing.sim.stats().chatCompletions).toBe(before + 1);
  });
});

const WEATHER_TOOL: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
// a 1×1 PNG
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe.each([
  ['gemini', () => GEMINI_MODEL, () => gemini, '"inlineData"'],
  ['azure-openai', () => AZURE_MODEL, () => azure, '"image_url"'],
  ['anthropic', () => ANTHROPIC_MODEL, () => anthropic, '"type":"image"'],
])('tools and images through a %s instance', (provider, model, instance, imageOnTheWire) => {
  it('makes a tool round trip', async () => {
    const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Paris' };
    const call = await client().chat.completions.create({ model: model(), messages: [question], tools: [WEATHER_TOOL] });
    expect(call.choices[0].finish_reason).toBe('tool_calls');
    const toolCall = call.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(toolCall.function.name).toBe('get_weather');
    expect(JSON.parse(toolCall.function.arguments)).toEqual({ city: 'Paris' });
    const answer = await client().chat.completions.create({
      model: model(),
      tools: [WEATHER_TOOL],
      messages: [question, call.choices[0].message, { role: 'tool', tool_call_id: toolCall.id, content: '22 degrees' }],
    });
    expect(answer.choices[0].message.content).toContain('tool result:');
    expect(answer.choices[0].message.content).toContain('22 degrees');
  });

  it(`sends an image as ${provider} takes it`, async () => {
    const answer = await client().chat.completions.create({
      model: model(),
      messages: [{ role: 'user', content: [{ type: 'text', text: 'describe this' }, { type: 'image_url', image_url: { url: PIXEL } }] }],
    });
    expect(answer.choices[0].message.content).toContain('describe this');
    expect(instance().sim.requests().filter((r) => r.method === 'POST').at(-1)!.body.replace(/\s/g, '')).toContain(imageOnTheWire);
  });
});

describe('instance settings, refused when wrong', () => {
  it.each([
    ['anthropic', {}],
    ['gemini', {}],
    ['azure-openai', { baseUrl: 'http://127.0.0.1:9/' }],
  ])('a %s instance without a key → 400 naming apiKey', async (providerType, extra) => {
    const refused = await api<ErrorBody>('POST', '/api/v1/instances', { token: admin(), body: { name: `nokey-${RUN}`, providerType, models: ['m'], ...extra } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ field: 'apiKey', message: `required for ${providerType}` }]);
  });

  it('refuses an unknown anthropic-version, a setting of another provider and a bad price, naming the field', async () => {
    const base = { name: `bad-${RUN}`, apiKey: 'k', models: ['m'] };
    const version = await api<ErrorBody>('POST', '/api/v1/instances', { token: admin(), body: { ...base, providerType: 'anthropic', anthropicVersion: '1999-01-01' } });
    expect(version.status).toBe(400);
    expect(version.body.error.details?.[0].field).toBe('anthropicVersion');
    const foreign = await api<ErrorBody>('POST', '/api/v1/instances', { token: admin(), body: { ...base, providerType: 'openai', deployments: { m: 'd' } } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details?.[0].field).toBe('deployments');
    const price = await api<ErrorBody>('POST', '/api/v1/instances', { token: admin(), body: { ...base, providerType: 'openai', prices: { m: { inputPerMTok: -1, outputPerMTok: 1 } } } });
    expect(price.status).toBe(400);
    expect(JSON.stringify(price.body.error)).toContain('prices.m.inputPerMTok');
  });
});

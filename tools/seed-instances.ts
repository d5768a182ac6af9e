/**
 * `npm start` step: makes sure there is something to route to. With OPENAI_API_KEY set, an OpenAI
 * instance; otherwise the provider simulator in each protocol (OpenAI, Anthropic, Gemini), clearly named
 * as such. Idempotent (by name).
 */
interface Seed {
  name: string;
  providerType: string;
  baseUrl?: string;
  apiKey?: string;
  models: string[];
}

async function main(): Promise<void> {
  const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
  const adminKey = process.env.ISH_ADMIN_API_KEY;
  if (!adminKey) throw new Error('ISH_ADMIN_API_KEY is not set');
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

  const seeds: Seed[] = process.env.OPENAI_API_KEY
    ? [{ name: 'openai', providerType: 'openai', apiKey: process.env.OPENAI_API_KEY, models: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'] }]
    : [
        {
          name: 'provider-sim (simulator, not an AI)',
          providerType: 'openai-compatible',
          baseUrl: process.env.PROVIDER_SIM_URL ?? 'http://127.0.0.1:9100/v1',
          models: ['gpt-4o', 'gpt-4o-mini', 'sim-small', 'text-embedding-3-small'],
        },
        // the simulator in Anthropic's and Gemini's own protocols; its key is the simulator's, not a secret
        {
          name: 'provider-sim, Anthropic protocol (simulator, not an AI)',
          providerType: 'anthropic',
          baseUrl: process.env.PROVIDER_SIM_ANTHROPIC_URL ?? 'http://127.0.0.1:9101/v1',
          apiKey: 'local-simulator',
          models: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
        },
        {
          name: 'provider-sim, Gemini protocol (simulator, not an AI)',
          providerType: 'gemini',
          baseUrl: process.env.PROVIDER_SIM_GEMINI_URL ?? 'http://127.0.0.1:9102/v1',
          apiKey: 'local-simulator',
          models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
        },
      ];

  const existing = (await (await fetch(`${gateway}/api/v1/instances`, { headers })).json()) as { name: string }[];
  for (const seed of seeds) {
    if (existing.some((instance) => instance.name === seed.name)) continue;
    const response = await fetch(`${gateway}/api/v1/instances`, { method: 'POST', headers, body: JSON.stringify(seed) });
    if (!response.ok) throw new Error(`could not add instance ${seed.name}: ${response.status} ${await response.text()}`);
    console.log(`added instance: ${seed.name}`);
  }
}

main().catch((error: unknown) => {
  console.error(`seeding instances failed: ${(error as Error).message}`);
  process.exit(1);
});

import type OpenAI from 'openai';
import type { RoutableInstance } from '@ish/contracts';
import { SecretBox } from '@ish/platform';
import { createProviderClient } from '@ish/providers';

/**
 * One SDK client per instance configuration, reused across requests (its connection pool is the
 * point). A changed key, URL or timeout makes a new client.
 */
export class ProviderClients {
  private readonly clients = new Map<string, { signature: string; client: OpenAI }>();

  constructor(private readonly box: SecretBox) {}

  for(instance: RoutableInstance): OpenAI {
    const signature = `${instance.baseUrl}|${instance.timeoutMs}|${instance.apiKeyEncrypted ?? ''}`;
    const known = this.clients.get(instance.id);
    if (known?.signature === signature) return known.client;
    const client = createProviderClient({
      providerType: instance.providerType,
      baseUrl: instance.baseUrl,
      apiKey: instance.apiKeyEncrypted ? this.box.open(instance.apiKeyEncrypted) : undefined,
      timeoutMs: instance.timeoutMs,
    });
    this.clients.set(instance.id, { signature, client });
    return client;
  }
}

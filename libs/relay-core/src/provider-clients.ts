import type { RoutableInstance } from '@ish/contracts';
import { INSTANCES_TABLE } from '@ish/database';
import { rowContext, SecretBox } from '@ish/platform';
import { ProviderClient } from '@ish/providers';

/**
 * One client per instance configuration, reused across requests (its connection pool is the
 * point). A changed key, URL, timeout or setting makes a new client and closes the old one's connections.
 */
export class ProviderClients {
  private readonly clients = new Map<string, { signature: string; client: ProviderClient }>();

  constructor(
    private readonly box: SecretBox,
    /** PROVIDER_ALLOW_PRIVATE_NETWORKS */
    private readonly allowPrivateNetworks = true,
  ) {}

  for(instance: RoutableInstance): ProviderClient {
    const signature = `${instance.providerType}|${instance.baseUrl}|${instance.timeoutMs}|${instance.apiKeyEncrypted ?? ''}|${JSON.stringify(instance.settings ?? {})}`;
    const known = this.clients.get(instance.id);
    if (known?.signature === signature) return known.client;
    const client = new ProviderClient({
      providerType: instance.providerType,
      baseUrl: instance.baseUrl,
      apiKey: instance.apiKeyEncrypted ? this.box.open(instance.apiKeyEncrypted, rowContext(INSTANCES_TABLE, instance.id)) : undefined,
      timeoutMs: instance.timeoutMs,
      allowPrivateNetworks: this.allowPrivateNetworks,
      settings: instance.settings,
    });
    this.clients.set(instance.id, { signature, client });
    // requests still running on the old pool finish; its idle connections close now, the others when the server drops them
    known?.client.closeIdle();
    return client;
  }

  close(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}

import { ConfigPart, envBoolean } from '@ish/platform';

/** How the processes that call providers (relay, worker, instance-manager's probes) may reach them. */
@ConfigPart()
export class ProvidersConfig {
  /**
   * whether provider instances may live on loopback and private ranges (metadata and link-local never
   * may): true by default because self-hosted models (Ollama, vLLM) live on private networks
   */
  @envBoolean()
  PROVIDER_ALLOW_PRIVATE_NETWORKS = true;
}

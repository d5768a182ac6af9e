import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { INSTANCES_TABLE, InstanceEntity } from '@ish/database';
import { InstanceKeyConfig, rowContext, SecretBox } from '@ish/platform';
import { classifyUpstreamError, ProviderClient, ProvidersConfig, safeUpstreamText, UpstreamFailure } from '@ish/providers';
import { InstanceManagerConfig } from '../config';

export interface ProbeOutcome {
  ok: boolean;
  latencyMs: number;
  /** why it failed; never carries the key */
  error?: string;
}

export type ProbeTarget = Pick<InstanceEntity, 'id' | 'providerType' | 'baseUrl' | 'apiKeyEncrypted'> & { settings?: InstanceEntity['settings'] };

/**
 * One health probe in the instance's own protocol (OpenAI `GET /models`, Anthropic `GET /v1/models` with
 * its version header, Gemini `GET /v1beta/models` with `x-goog-api-key`, Azure's models list), through the same client the relay
 * uses — cheap, free of charge at every provider, and it proves address, TLS and key at once.
 * A 404/405 means the server is there but keeps no model list (some OpenAI-compatible servers):
 * that counts as alive.
 */
@Injectable()
export class InstanceProber {
  private readonly box: SecretBox;
  private readonly timeoutMs: number;
  private readonly allowPrivateNetworks: boolean;

  constructor(config: InstanceManagerConfig, instanceKey: InstanceKeyConfig, providers: ProvidersConfig) {
    this.box = new SecretBox(instanceKey.INSTANCE_KEY_ENCRYPTION_KEY);
    this.timeoutMs = config.HEALTH_PROBE_TIMEOUT_MS;
    this.allowPrivateNetworks = providers.PROVIDER_ALLOW_PRIVATE_NETWORKS;
  }

  async probe(target: ProbeTarget): Promise<ProbeOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let apiKey: string | undefined;
    try {
      apiKey = target.apiKeyEncrypted ? this.box.open(target.apiKeyEncrypted, rowContext(INSTANCES_TABLE, target.id)) : undefined;
    } catch {
      return { ok: false, latencyMs: 0, error: 'the stored API key cannot be decrypted (INSTANCE_KEY_ENCRYPTION_KEY differs from the one it was saved with)' };
    }
    let client: ProviderClient | undefined;
    try {
      client = new ProviderClient({ providerType: target.providerType, baseUrl: target.baseUrl, apiKey, timeoutMs: this.timeoutMs, allowPrivateNetworks: this.allowPrivateNetworks, settings: target.settings });
      await client.listModels();
      return { ok: true, latencyMs: elapsed() };
    } catch (error) {
      const failure = classifyUpstreamError(error);
      if (failure.status === 404 || failure.status === 405) return { ok: true, latencyMs: elapsed() };
      const latencyMs = elapsed();
      // a connection error that took the whole timeout is the timeout, however it surfaced
      const timedOut = failure.status === undefined && (failure.timedOut || latencyMs >= this.timeoutMs);
      return { ok: false, latencyMs, error: timedOut ? `no answer within ${this.timeoutMs} ms` : describeFailure(failure) };
    } finally {
      client?.close();
    }
  }
}

/** shown to operators: the upstream's words cut short (already free of keys, headers and addresses) */
function describeFailure(failure: UpstreamFailure): string {
  const message = safeUpstreamText(failure.message, PROBE_ERROR_CHARS);
  return failure.status === undefined ? message : `HTTP ${failure.status}: ${message}`;
}

const PROBE_ERROR_CHARS = 200;

import { startProviderSim, ProviderSim, ProviderSimOptions } from '@ish/provider-sim';
import { APP_PORTS, SECOND_RELAY_PORT, serviceUrl, testSecrets } from './env';
import { api } from './http';
import { waitFor } from './system';

/** A provider simulator registered as an instance, removed again by `close()`. */
export interface SimInstance {
  sim: ProviderSim;
  id: string;
  close(): Promise<void>;
}

export async function addSimInstance(name: string, simOptions: ProviderSimOptions, instance: Record<string, unknown> = {}): Promise<SimInstance> {
  const sim = await startProviderSim({ name, ...simOptions });
  const created = await api<{ id: string }>('POST', '/api/v1/instances', {
    token: testSecrets().adminApiKey,
    body: { name, providerType: 'openai-compatible', baseUrl: `${sim.url}/v1`, models: simOptions.models, ...instance },
  });
  if (created.status !== 201) throw new Error(`could not add instance ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  return {
    sim,
    id: created.body.id,
    close: async () => {
      await api('DELETE', `/api/v1/instances/${created.body.id}`, { token: testSecrets().adminApiKey });
      await sim.close();
    },
  };
}

/** Waits until both relays (and so the routing tables everywhere) list the model. */
export async function waitForModel(model: string, present = true): Promise<void> {
  const admin = testSecrets().adminApiKey;
  await waitFor(`model ${model} ${present ? 'routable' : 'gone'} on both relays`, async () => {
    for (const port of [APP_PORTS.relay, SECOND_RELAY_PORT]) {
      const models = await api<{ data: { id: string }[] }>('GET', '/api/v1/models', { token: admin, base: serviceUrl('relay', port) });
      if (models.body.data.some((m) => m.id === model) !== present) return false;
    }
    return true;
  }, 10_000, 100);
}

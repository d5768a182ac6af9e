import type { InstanceView } from '@ish/contracts';
import { testSecrets, api } from '@ish/test-support';

export const admin = () => testSecrets().adminApiKey;

/** Creates an instance through the API (as the admin) and returns its view. */
export async function createInstance(body: Record<string, unknown>): Promise<InstanceView> {
  const created = await api<InstanceView>('POST', '/api/v1/instances', { token: admin(), body: { providerType: 'openai-compatible', models: ['gpt-4o'], ...body } });
  if (created.status !== 201) throw new Error(`instance not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function getInstance(id: string): Promise<InstanceView> {
  const found = await api<InstanceView>('GET', `/api/v1/instances/${id}`, { token: admin() });
  if (found.status !== 200) throw new Error(`instance ${id}: ${found.status} ${JSON.stringify(found.body)}`);
  return found.body;
}

export async function deleteInstances(ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => api('DELETE', `/api/v1/instances/${id}`, { token: admin() })));
}

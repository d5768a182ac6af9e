import type { InstanceEntity } from '@ish/database';

/** The fields of an instance row that its public view and its routing-table entry both carry as they are. */
export function instanceFields(row: InstanceEntity) {
  const { id, name, providerType, baseUrl, models, weight, priority, maxConcurrency, timeoutMs, status } = row;
  return { id, name, providerType, baseUrl, models, weight, priority, maxConcurrency, timeoutMs, status };
}

import { DataSource, DataSourceOptions } from 'typeorm';
import { InstanceEntity } from './entities/instance.entity';
import { RequestLogEntity } from './entities/request-log.entity';
import { InstancesAndRequestLogs1763990000000 } from './migrations/1763990000000-instances-and-request-logs';

export const ALL_ENTITIES = [InstanceEntity, RequestLogEntity];
/** In order; a new migration is appended here and nowhere else. */
export const ALL_MIGRATIONS = [InstancesAndRequestLogs1763990000000];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 20, connectionTimeoutMillis: 3000, statement_timeout: 15000 },
  };
}

/** Applies every pending migration; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

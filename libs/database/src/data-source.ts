import { DataSource, DataSourceOptions } from 'typeorm';
import { InstanceEntity } from './entities/instance.entity';
import { RequestLogEntity } from './entities/request-log.entity';
import { UserEntity } from './entities/user.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { InstancesAndRequestLogs1763990000000 } from './migrations/1763990000000-instances-and-request-logs';
import { Auth1763990100000 } from './migrations/1763990100000-auth';
import { RelayAndRouting1763990200000 } from './migrations/1763990200000-relay-and-routing';
import { ConversationEntity } from './entities/conversation.entity';
import { MessageEntity } from './entities/message.entity';
import { SettingEntity } from './entities/setting.entity';
import { ScalingEventEntity } from './entities/scaling-event.entity';
import { AdbExecutionEntity } from './entities/adb-execution.entity';
import { Android1763990300000 } from './migrations/1763990300000-android';
import { WebhookSubscriptionEntity } from './entities/webhook-subscription.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookAttemptEntity } from './entities/webhook-attempt.entity';
import { Webhooks1763990400000 } from './migrations/1763990400000-webhooks';
import { RolesAndBootstrapAdmin1764100000000 } from './migrations/1764100000000-roles-and-bootstrap-admin';
import { InstanceSettings1764400000000 } from './migrations/1764400000000-instance-settings';
import { AllowedModels1764600000000 } from './migrations/1764600000000-allowed-models';
import { TokensPerMinute1764710000000 } from './migrations/1764710000000-tokens-per-minute';

export const ALL_ENTITIES = [InstanceEntity, RequestLogEntity, UserEntity, ApiKeyEntity, RefreshTokenEntity, AuditEventEntity, ConversationEntity, MessageEntity, SettingEntity, ScalingEventEntity, AdbExecutionEntity, WebhookSubscriptionEntity, WebhookDeliveryEntity, WebhookAttemptEntity];
/** In order; a new migration is appended here and nowhere else. */
export const ALL_MIGRATIONS = [InstancesAndRequestLogs1763990000000, Auth1763990100000, RelayAndRouting1763990200000, Android1763990300000, Webhooks1763990400000, RolesAndBootstrapAdmin1764100000000, InstanceSettings1764400000000, AllowedModels1764600000000, TokensPerMinute1764710000000];

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

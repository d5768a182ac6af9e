import { IsIn, Matches } from 'class-validator';
import { ROUTING_STRATEGIES, RoutingStrategy } from '@ish/contracts';
import { BaseConfig } from '@ish/platform';

export class InstanceManagerConfig extends BaseConfig {
  /** strategy in force until an operator changes it with PUT /api/v1/routing */
  @IsIn(ROUTING_STRATEGIES)
  ROUTING_STRATEGY: RoutingStrategy = 'least-latency';

  /** 32 bytes, base64: encrypts provider API keys at rest (relay and worker need the same value) */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'INSTANCE_KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded' })
  INSTANCE_KEY_ENCRYPTION_KEY: string;
}

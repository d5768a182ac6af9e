import { IsIn } from 'class-validator';
import { ROUTING_STRATEGIES, RoutingStrategy } from '@ish/contracts';
import { BaseConfig } from '@ish/platform';

export class InstanceManagerConfig extends BaseConfig {
  /** strategy in force until an operator changes it with PUT /api/v1/routing */
  @IsIn(ROUTING_STRATEGIES)
  ROUTING_STRATEGY: RoutingStrategy = 'least-latency';
}

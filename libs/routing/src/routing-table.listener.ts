import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENTS, RoutingTableSnapshot } from '@ish/contracts';
import { RoutingTableStore } from './routing-table.store';

/** Every relay and worker process takes every routing-table update (a queue of its own). */
@Controller()
export class RoutingTableListener {
  constructor(private readonly store: RoutingTableStore) {}

  @EventPattern(EVENTS.routingTableUpdated, { broadcast: true })
  onRoutingTableUpdated(@Payload() update: RoutingTableSnapshot): void {
    this.store.apply(update);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RoutingTableSnapshot, RPC } from '@ish/contracts';
import { RoutingTableService } from './routing-table.service';

@Controller()
export class RoutingTableHandler {
  constructor(private readonly routingTable: RoutingTableService) {}

  /** relay and worker ask for the table at start and after a reconnect */
  @MessagePattern(RPC.instancesListRoutable)
  listRoutable(): Promise<RoutingTableSnapshot> {
    return this.routingTable.snapshot();
  }
}

import { Module } from '@nestjs/common';
import { RoutingTableListener } from './routing-table.listener';
import { RoutingTableStore } from './routing-table.store';

@Module({ controllers: [RoutingTableListener], providers: [RoutingTableStore], exports: [RoutingTableStore] })
export class RoutingTableModule {}

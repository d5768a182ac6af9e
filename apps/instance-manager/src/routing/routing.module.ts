import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity } from '@ish/database';
import { RoutingTableHandler } from './routing-table.handler';
import { RoutingTableService } from './routing-table.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity])],
  controllers: [RoutingTableHandler],
  providers: [RoutingTableService],
  exports: [RoutingTableService],
})
export class RoutingModule {}

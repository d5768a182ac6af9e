import { Module } from '@nestjs/common';
import { PlatformModule } from '@ish/platform';
import { RoutingTableModule } from '@ish/routing';
import { WorkerConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'worker', config: WorkerConfig }), RoutingTableModule, ConsumersModule],
})
export class AppModule {}

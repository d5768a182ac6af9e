import { Module } from '@nestjs/common';
import { AuthGuardModule } from '@ish/auth-guard';
import { PlatformModule } from '@ish/platform';
import { RoutingTableModule } from '@ish/routing';
import { RelayConfig } from './config';
import { ModelsController } from './models/models.controller';

@Module({
  imports: [PlatformModule.forRoot({ service: 'relay', config: RelayConfig }), AuthGuardModule, RoutingTableModule],
  controllers: [ModelsController],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { PlatformModule } from '@ish/platform';
import { RoutingTableModule } from '@ish/routing';
import { RelayConfig } from './config';

@Module({
  imports: [PlatformModule.forRoot({ service: 'relay', config: RelayConfig }), RoutingTableModule],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { PlatformModule } from '@ish/platform';
import { AndroidBridgeConfig } from './config';

@Module({
  imports: [PlatformModule.forRoot({ service: 'android-bridge', config: AndroidBridgeConfig })],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { AuthGuardModule } from '@ish/auth-guard';
import { PlatformModule } from '@ish/platform';
import { AndroidBridgeConfig } from './config';

@Module({
  imports: [PlatformModule.forRoot({ service: 'android-bridge', config: AndroidBridgeConfig }), AuthGuardModule],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { AdbModule } from '@ish/adb';
import { AuthGuardModule } from '@ish/auth-guard';
import { GatewayModule, PlatformModule } from '@ish/platform';
import { AuditController } from './audit/audit.controller';
import { DevicesModule } from './devices/devices.module';
import { ExecuteModule } from './execute/execute.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'android-bridge' }), GatewayModule, AuthGuardModule, AdbModule.forRoot(), DevicesModule, ExecuteModule],
  controllers: [AuditController],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity, AuditEventEntity, RefreshTokenEntity, UserEntity } from '@ish/database';
import { AuthGuardModule } from '@ish/auth-guard';
import { BudgetsModule } from '@ish/budgets';
import { GatewayModule, PlatformModule } from '@ish/platform';
import { UsageModule } from '@ish/usage';
import { AdminController } from './admin/admin.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { VerifyCredentialHandler } from './api-keys/verify-credential.handler';
import { AuditService } from './audit/audit.service';
import { ModelCatalog } from './models/model-catalog';
import { RevocationPublisher } from './revocation/revocation.publisher';
import { AuthController } from './sessions/auth.controller';
import { LoginThrottle } from './sessions/login-throttle';
import { SessionsService } from './sessions/sessions.service';
import { UsageController } from './usage/usage.controller';
import { UsersService } from './users/users.service';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'auth' }),
    GatewayModule,
    AuthGuardModule,
    TypeOrmModule.forFeature([UserEntity, ApiKeyEntity, RefreshTokenEntity, AuditEventEntity]),
    UsageModule,
    BudgetsModule,
  ],
  controllers: [AuthController, ApiKeysController, AdminController, UsageController, VerifyCredentialHandler],
  providers: [UsersService, SessionsService, LoginThrottle, ApiKeysService, AuditService, RevocationPublisher, ModelCatalog],
})
export class AppModule {}

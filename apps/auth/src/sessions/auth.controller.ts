import { Body, Controller, Get, HttpCode, Ip, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LoginRequest, Principal, RefreshRequest, RegisterRequest } from '@ish/contracts';
import type { Request } from 'express';
import { clientAddress } from '@ish/auth-guard';
import { ApiError, CurrentPrincipal, LimitedByAddress, Public } from '@ish/platform';
import { effectiveAllowedModels } from '@ish/routing';
import { AuditService } from '../audit/audit.service';
import { AuthConfig } from '../config';
import { verifyPassword } from '../users/password';
import { UsersService } from '../users/users.service';
import { LoginThrottle } from './login-throttle';
import { SessionsService, TokenPair } from './sessions.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly config: AuthConfig,
  ) {}

  @Public()
  @LimitedByAddress()
  @Post('register')
  async register(@Body() body: RegisterRequest, @Ip() ip: string): Promise<{ user: { id: string; email: string; role: string } }> {
    if (!this.config.AUTH_ALLOW_REGISTRATION) throw ApiError.forbidden('Registration is closed on this system', 'registration_closed');
    // the bootstrap admin's address is never anyone's to register (answered like a taken one)
    if (body.email.toLowerCase() === this.config.ADMIN_EMAIL.toLowerCase()) throw ApiError.conflict('This email is already registered', 'email_taken');
    const user = await this.users.register(body.email, body.password);
    await this.audit.record('user.registered', { userId: user.id, ip });
    return { user: { id: user.id, email: user.email, role: user.role } };
  }

  @Public()
  @LimitedByAddress()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Req() request: Request, @Ip() ip: string): Promise<TokenPair> {
    const address = clientAddress(request);
    await this.throttle.begin(body.email, address);
    let user: Awaited<ReturnType<UsersService['findByEmail']>>;
    let passwordOk: boolean;
    try {
      user = await this.users.findByEmail(body.email);
      passwordOk = await verifyPassword(user?.passwordHash, body.password);
    } catch (error) {
      // no verdict (the database is away): the attempt costs no try, or an outage would lock everyone out
      await this.throttle.refund(body.email, address);
      throw error;
    }
    if (!user || !passwordOk || user.disabled) {
      await this.audit.record('login.failed', { userId: user?.id ?? null, ip, details: { reason: user?.disabled ? 'disabled' : 'bad_credentials' } });
      throw ApiError.unauthorized('Wrong email or password', 'invalid_login');
    }
    await this.throttle.succeeded(body.email, address);
    const pair = await this.sessions.start(user);
    await this.audit.record('login.succeeded', { userId: user.id, ip });
    return pair;
  }

  @Public()
  @LimitedByAddress()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshRequest, @Ip() ip: string): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken, ip);
  }

  @Public()
  @LimitedByAddress()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshRequest, @Ip() ip: string): Promise<void> {
    await this.sessions.logout(body.refreshToken, ip);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): { id: string; email: string; role: string; scopes: string[]; allowedModels: string[] | null; tokensPerMinute: number | null } {
    const allowedModels = effectiveAllowedModels(principal.allowedModels, principal.kind === 'api_key' ? principal.ownerAllowedModels : null);
    // the calling key's own limit; a session has none
    const tokensPerMinute = principal.kind === 'api_key' ? (principal.tokensPerMinute ?? null) : null;
    return { id: principal.userId, email: principal.email, role: principal.role, scopes: principal.scopes, allowedModels, tokensPerMinute };
  }
}

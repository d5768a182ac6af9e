import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExecuteAccepted, ExecuteRequest, ExecuteResult, Principal } from '@ish/contracts';
import { AdbExecutor, ExecuteCommand } from '@ish/adb';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { AdbJobQueue } from './adb-job-queue';

@ApiTags('android')
@ApiBearerAuth()
@Controller('api/v1/android')
export class ExecuteController {
  constructor(
    private readonly executor: AdbExecutor,
    private readonly jobs: AdbJobQueue,
  ) {}

  /** sync → 200 with the result; async → 202 `{jobId, status}` and `Location: /api/v1/jobs/{jobId}` */
  @Post('execute')
  @HttpCode(200)
  @RequireScopes('android:execute')
  async execute(@CurrentPrincipal() principal: Principal, @Body() body: ExecuteRequest, @Res({ passthrough: true }) res: Response): Promise<ExecuteResult | ExecuteAccepted> {
    const request: ExecuteCommand = { serial: body.serial, command: body.command, args: body.args ?? [], timeoutMs: body.timeoutMs };
    if (body.mode === 'async') {
      const accepted = await this.jobs.submit(request, principal);
      res.status(202).setHeader('Location', `/api/v1/jobs/${accepted.jobId}`);
      return accepted;
    }
    return this.executor.execute(request, { userId: principal.userId, credentialId: principal.credentialId, mode: 'sync' });
  }
}

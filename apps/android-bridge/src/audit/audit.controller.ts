import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AndroidAuditEntry, AndroidAuditQuery } from '@ish/contracts';
import { ExecutionAudit } from '@ish/adb';
import { RequireScopes } from '@ish/platform';

@ApiTags('android')
@ApiBearerAuth()
@Controller('api/v1/android/audit')
export class AuditController {
  constructor(private readonly audit: ExecutionAudit) {}

  /** every execution and refusal, newest first; `?serial=&userId=&limit=` (default 100, at most 1000) */
  @Get()
  @RequireScopes('admin')
  list(@Query() query: AndroidAuditQuery): Promise<AndroidAuditEntry[]> {
    return this.audit.list(query);
  }
}

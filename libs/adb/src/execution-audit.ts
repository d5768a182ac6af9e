import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Repository } from 'typeorm';
import type { AndroidAuditEntry, AndroidAuditQuery, ExecuteMode, ExecutionOutcome } from '@ish/contracts';
import { AdbExecutionEntity } from '@ish/database';
import type { ExecutionAuditSink, ExecutionRecord } from './execution-audit-sink';

export const DEFAULT_AUDIT_LIMIT = 100;

/** The audit trail of device commands in PostgreSQL (`adb_executions`). */
@Injectable()
export class ExecutionAudit implements ExecutionAuditSink {
  constructor(@InjectRepository(AdbExecutionEntity) private readonly rows: Repository<AdbExecutionEntity>) {}

  async record(entry: ExecutionRecord): Promise<void> {
    await this.rows.insert(entry);
  }

  /** newest first */
  async list(query: AndroidAuditQuery): Promise<AndroidAuditEntry[]> {
    const where: FindOptionsWhere<AdbExecutionEntity> = {};
    if (query.serial) where.serial = query.serial;
    if (query.userId) where.userId = query.userId;
    const rows = await this.rows.find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: query.limit ?? DEFAULT_AUDIT_LIMIT });
    return rows.map(toAuditEntry);
  }
}

export function toAuditEntry(row: AdbExecutionEntity): AndroidAuditEntry {
  return {
    id: String(row.id),
    userId: row.userId,
    credentialId: row.credentialId,
    serial: row.serial,
    command: row.command,
    args: row.args,
    exitCode: row.exitCode,
    durationMs: row.durationMs,
    bytesOut: row.bytesOut,
    outcome: row.outcome as ExecutionOutcome,
    errorCode: row.errorCode,
    mode: row.mode as ExecuteMode,
    jobId: row.jobId,
    createdAt: row.createdAt.toISOString(),
  };
}

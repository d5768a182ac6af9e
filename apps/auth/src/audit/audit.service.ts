import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventEntity } from '@ish/database';

export type AuditType =
  | 'login.succeeded'
  | 'login.failed'
  | 'user.registered'
  | 'user.updated'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'api_key.updated'
  | 'session.logged_out'
  | 'refresh.reuse_detected';

export interface AuditEntry {
  userId?: string | null;
  actorId?: string | null;
  credentialId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Security events, written to `audit_events` and to the log (never with secrets). */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async record(type: AuditType, entry: AuditEntry): Promise<void> {
    this.logger.log({ audit: type, userId: entry.userId, credentialId: entry.credentialId }, type);
    await this.events.save(
      this.events.create({
        type,
        userId: entry.userId ?? null,
        actorId: entry.actorId ?? null,
        credentialId: entry.credentialId ?? null,
        ip: entry.ip ?? null,
        details: entry.details ?? {},
      }),
    );
  }
}

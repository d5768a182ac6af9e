import type { AndroidAuditEntry } from '@ish/contracts';

/** One audit record: who ran what on which device, and how it ended (an audit entry before it is stored). */
export type ExecutionRecord = Omit<AndroidAuditEntry, 'id' | 'createdAt'>;

export interface ExecutionAuditSink {
  record(entry: ExecutionRecord): Promise<void>;
}

import type { ExecuteMode, ExecutionOutcome } from '@ish/contracts';

/** One audit record: who ran what on which device, and how it ended. */
export interface ExecutionRecord {
  userId: string | null;
  credentialId: string | null;
  serial: string;
  command: string;
  args: string[];
  exitCode: number | null;
  durationMs: number;
  bytesOut: number;
  outcome: ExecutionOutcome;
  errorCode: string | null;
  mode: ExecuteMode;
  jobId: string | null;
}

export interface ExecutionAuditSink {
  record(entry: ExecutionRecord): Promise<void>;
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UsageConfig } from './usage.config';

/** Rows one statement deletes (or erases the bodies of): short transactions, no long lock on the log. */
const CHUNK = 5000;

const DAY_MS = 86_400_000;

/**
 * Keeps `request_logs` to REQUEST_LOG_RETENTION_DAYS and its bodies to REQUEST_LOG_BODIES_DAYS. One
 * process runs it (instance-manager's leader); deletion goes in chunks, and the hourly usage figures
 * follow by trigger, so usage never counts a call the log no longer holds.
 */
@Injectable()
export class RequestLogRetention {
  private readonly logger = new Logger('RequestLogRetention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: UsageConfig,
  ) {}

  /** One sweep: answers how many calls it deleted and how many kept bodies it erased. */
  async sweep(now: Date = new Date()): Promise<{ deleted: number; bodiesErased: number }> {
    let deleted = 0;
    if (this.config.REQUEST_LOG_RETENTION_DAYS > 0) {
      const cutoff = new Date(now.getTime() - this.config.REQUEST_LOG_RETENTION_DAYS * DAY_MS);
      deleted = await this.inChunks(`DELETE FROM request_logs WHERE id IN (SELECT id FROM request_logs WHERE created_at < $1 LIMIT ${CHUNK}) RETURNING 1`, cutoff);
    }
    const bodiesCutoff = new Date(now.getTime() - this.config.REQUEST_LOG_BODIES_DAYS * DAY_MS);
    const bodiesErased = await this.inChunks(
      `UPDATE request_logs SET bodies = NULL WHERE id IN (SELECT id FROM request_logs WHERE bodies IS NOT NULL AND created_at < $1 LIMIT ${CHUNK}) RETURNING 1`,
      bodiesCutoff,
    );
    if (deleted > 0 || bodiesErased > 0) this.logger.log(`request log retention: ${deleted} call(s) deleted, ${bodiesErased} kept bodies erased`);
    return { deleted, bodiesErased };
  }

  /** Runs a chunked statement until a chunk comes back short; answers the rows it touched. */
  private async inChunks(statement: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ touched }] = await this.dataSource.query<{ touched: number }[]>(`WITH chunk AS (${statement}) SELECT count(*)::int AS touched FROM chunk`, [cutoff]);
      total += touched;
      if (touched < CHUNK) return total;
    }
  }
}

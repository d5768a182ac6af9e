import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestLogEntity } from '@ish/database';

export type RequestLogRow = Omit<RequestLogEntity, 'id' | 'createdAt' | 'costUsd'> & { costUsd: number };

const FLUSH_EVERY_MS = 500;
const FLUSH_AT_ROWS = 200;
const MAX_BUFFERED = 20_000;

/**
 * Every upstream call goes to `request_logs` without making the response wait: rows are buffered
 * and written in batches (every 500 ms or 200 rows). A failed batch is retried with the next one;
 * past 20 000 buffered rows the oldest are dropped and counted in the log, never blocking traffic.
 */
@Injectable()
export class RequestLogWriter implements OnApplicationShutdown {
  private readonly logger = new Logger('RequestLog');
  private buffer: RequestLogRow[] = [];
  private readonly timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
  private flushing?: Promise<void>;

  constructor(@InjectRepository(RequestLogEntity) private readonly logs: Repository<RequestLogEntity>) {
    this.timer.unref();
  }

  record(row: RequestLogRow): void {
    this.buffer.push(row);
    if (this.buffer.length > MAX_BUFFERED) {
      const dropped = this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, dropped);
      this.logger.warn(`request log buffer full: dropped ${dropped} row(s)`);
    }
    if (this.buffer.length >= FLUSH_AT_ROWS) void this.flush();
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.logs
      .insert(batch.map((row) => ({ ...row, costUsd: row.costUsd.toFixed(6) })))
      .then(() => undefined)
      .catch((error: unknown) => {
        this.logger.warn(`request log write failed, retrying with the next batch: ${(error as Error).message}`);
        this.buffer = batch.concat(this.buffer);
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.flush();
  }
}

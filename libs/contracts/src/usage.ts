import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxDate, Min, MinDate } from 'class-validator';
import { EARLIEST_REPORT_DATE, LATEST_REPORT_DATE } from './auth';

/** Buckets of GET /api/v1/usage: an hour, or a day (UTC). */
export const USAGE_INTERVALS = ['hour', 'day'] as const;
export type UsageInterval = (typeof USAGE_INTERVALS)[number];

/** What GET /api/v1/usage groups its series by. */
export const USAGE_GROUPINGS = ['model', 'apiKey', 'user', 'instance'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

const REPORT_RANGE = { message: '$property must be between 1970-01-01 and 9999-12-31' };

/** `GET /api/v1/usage` (API.md "Usage, logs and live figures"): `userId` is for admins only (403 otherwise). */
export class UsageSeriesQuery {
  @IsOptional() @Type(() => Date) @IsDate() @MinDate(EARLIEST_REPORT_DATE, REPORT_RANGE) @MaxDate(LATEST_REPORT_DATE, REPORT_RANGE) from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() @MinDate(EARLIEST_REPORT_DATE, REPORT_RANGE) @MaxDate(LATEST_REPORT_DATE, REPORT_RANGE) to?: Date;
  @IsOptional() @IsIn(USAGE_INTERVALS) interval?: UsageInterval;
  @IsOptional() @IsIn(USAGE_GROUPINGS) groupBy?: UsageGrouping;
  @IsOptional() @IsUUID() userId?: string;
}

/** Most entries of one page of GET /api/v1/logs, and how many a page has when `limit` is not given. */
export const MAX_LOGS_PAGE = 200;
export const DEFAULT_LOGS_PAGE = 50;

/**
 * `GET /api/v1/logs`: `before` is the `id` of the last entry of the previous page (keyset); `status` is
 * `success`, `error` (any other outcome) or an HTTP status code.
 */
export class RequestLogsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_LOGS_PAGE) limit?: number;
  @IsOptional() @IsString() @Matches(/^[1-9][0-9]{0,17}$/, { message: 'before must be the id of a log entry (the last of the previous page)' }) before?: string;
  @IsOptional() @IsString() @Length(1, 200) model?: string;
  @IsOptional() @IsString() @Matches(/^(success|error|[1-5][0-9]{2})$/, { message: 'status must be success, error or an HTTP status code' }) status?: string;
  @IsOptional() @IsUUID() apiKeyId?: string;
}

// The answers of the usage and logs routes: read by the API (libs/usage) and the console alike.

/** The figures of one bucket of a usage series, and of its totals. */
export interface UsageFigures {
  requests: number;
  /** calls whose outcome was not `success` */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** estimated, as logged (unpriced calls count 0): the cost definition of every usage report */
  costUsd: number;
}

export interface UsagePoint extends UsageFigures {
  /** the bucket's start (ISO 8601, UTC) */
  t: string;
}

/** `GET /api/v1/usage`: one series per group, with a point for each bucket that holds calls. */
export interface UsageSeriesReport {
  from: string;
  to: string;
  interval: UsageInterval;
  series: { key: string | null; points: UsagePoint[] }[];
  totals: UsageFigures;
}

/** One call as GET /api/v1/logs lists it (API.md "Usage, logs and live figures"). */
export interface RequestLogEntry {
  id: string;
  createdAt: string;
  requestId: string | null;
  route: string | null;
  model: string;
  provider: string | null;
  instanceId: string | null;
  apiKeyId: string | null;
  /** the HTTP status of the upstream answer; null when none came (timeout, connection error) */
  status: number | null;
  outcome: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** why the call failed, present only when it did */
  error?: string;
}

/** GET /api/v1/logs/{id}: the entry, and for admins its prompt and reply when the log kept them. */
export interface RequestLogDetail extends RequestLogEntry {
  request?: unknown;
  response?: unknown;
}

import { ApiError } from '@ish/platform';
import type { TimeRange } from './usage-totals';

/** A report without `from` covers this many days before `to`. */
export const DEFAULT_REPORT_DAYS = 30;

/** The range a usage report covers: `to` defaults to now, `from` to DEFAULT_REPORT_DAYS before `to`; 400 when from is after to. */
export function usageReportRange(query: { from?: Date; to?: Date }, now: Date = new Date()): TimeRange {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - DEFAULT_REPORT_DAYS * 86_400_000);
  if (from > to) throw ApiError.badRequest('invalid_range', 'from must be before to', [{ field: 'from', message: 'must be before to' }]);
  return { from, to };
}

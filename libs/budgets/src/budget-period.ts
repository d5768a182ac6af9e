import type { BudgetPeriod } from '@ish/contracts';

/** The period a budget counts in at some instant: its id (part of the Redis key), where it started and when it resets. */
export interface BudgetWindow {
  period: BudgetPeriod;
  /** `day:2026-12-03`, `week:2026-11-30` (its Monday), `month:2026-12`, `total` */
  id: string;
  /** the first instant counted (for `total`, the epoch: every call ever) */
  start: Date;
  /** the first instant of the next period; null for `total`, which never resets */
  resetsAt: Date | null;
}

const DAY_MS = 86_400_000;

/** today's windows (each period's is the same all day): every call asks for up to 8 of them on the hot path */
let windowsDay = Number.NaN;
let windowsOfDay = new Map<BudgetPeriod, BudgetWindow>();

/** UTC periods (API.md "Governance"): a day from midnight, an ISO week from Monday, a calendar month. Read-only: the windows of a day are shared. */
export function budgetWindow(period: BudgetPeriod, now: Date | number): BudgetWindow {
  const ms = typeof now === 'number' ? now : now.getTime();
  const midnight = Math.floor(ms / DAY_MS) * DAY_MS;
  if (midnight !== windowsDay) {
    windowsDay = midnight;
    windowsOfDay = new Map();
  }
  let window = windowsOfDay.get(period);
  if (!window) windowsOfDay.set(period, (window = Object.freeze(windowOf(period, midnight))));
  return window;
}

function windowOf(period: BudgetPeriod, midnight: number): BudgetWindow {
  const at = new Date(midnight);
  switch (period) {
    case 'day':
      return { period, id: `day:${isoDate(midnight)}`, start: new Date(midnight), resetsAt: new Date(midnight + DAY_MS) };
    case 'week': {
      // getUTCDay: Sunday 0 … Saturday 6; Monday starts the ISO week
      const monday = midnight - ((at.getUTCDay() + 6) % 7) * DAY_MS;
      return { period, id: `week:${isoDate(monday)}`, start: new Date(monday), resetsAt: new Date(monday + 7 * DAY_MS) };
    }
    case 'month': {
      const first = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
      return { period, id: `month:${isoDate(first).slice(0, 7)}`, start: new Date(first), resetsAt: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)) };
    }
    case 'total':
      return { period, id: 'total', start: new Date(0), resetsAt: null };
  }
}

/** `Retry-After` of a refusal: whole seconds until the period resets, at least 1; null for `total` (waiting does not help). */
export function retryAfterSeconds(window: BudgetWindow, now: Date | number): number | null {
  if (!window.resetsAt) return null;
  return Math.max(1, Math.ceil((window.resetsAt.getTime() - new Date(now).getTime()) / 1000));
}

/** How long a period's counter is kept: a day past its reset (a late call still finds it), 35 days for `total` (then rebuilt). */
export function spendTtlSeconds(window: BudgetWindow, now: Date | number): number {
  if (!window.resetsAt) return 35 * 86_400;
  return Math.ceil((window.resetsAt.getTime() - new Date(now).getTime()) / 1000) + 86_400;
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

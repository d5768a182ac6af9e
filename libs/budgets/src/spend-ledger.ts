import { Injectable } from '@nestjs/common';
import { Budget, BUDGET_PERIODS, BudgetPeriod, REDIS_KEYS, SpendView } from '@ish/contracts';
import { RedisClient, RedisScript } from '@ish/platform';
import { RequestLogReadModel } from '@ish/usage';
import { budgetWindow, BudgetWindow, spendTtlSeconds } from './budget-period';

/** Whose spend: an API key's (with its user, whose index finds its rows) or a user's (every call of their keys and sessions). */
export type SpendOwner = { kind: 'api_key'; id: string; userId: string } | { kind: 'user'; id: string };

/** Adds the amount (ARGV[1]) to each counter that exists and answers its new value, -1 where none: a missing one is rebuilt from request_logs. */
const ADD_TO_EXISTING = new RedisScript<number[]>(
  `local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then out[i] = redis.call('INCRBY', key, ARGV[1]) else out[i] = -1 end
end
return out`,
);

export const MICRO_USD = 1_000_000;

export function toMicroUsd(usd: number): number {
  return Math.round(usd * MICRO_USD);
}

export function fromMicroUsd(micro: number): number {
  return micro / MICRO_USD;
}

/**
 * Spend per key and per user per budget period, in integer micro-USD in Redis (REDIS_KEYS.spend),
 * shared by every relay and worker. A counter is created only by a rebuild from request_logs (the
 * same cost figures the usage report reads), set NX so that concurrent rebuilders agree; calls add to
 * counters that exist only, so a call whose counter is gone (Redis restarted, flushed or the period
 * new) is counted once, by the rebuild that reads its request_logs row.
 */
@Injectable()
export class SpendLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly requestLogs: RequestLogReadModel,
  ) {}

  /**
   * Micro-USD spent by `owner` in the period of `window`. A missing counter is rebuilt from request_logs
   * once `flushLocalRows` has written this process's buffered rows; a process that writes no rows (auth)
   * passes none and gets the sum without storing it, so it never fixes a counter that misses a relay's buffer.
   */
  async spent(owner: SpendOwner, window: BudgetWindow, now: Date, flushLocalRows?: () => Promise<void>): Promise<number> {
    const key = REDIS_KEYS.spend(owner.kind, owner.id, window.id);
    const current = await this.redis.get(key);
    if (current !== null) return Number(current);
    if (!flushLocalRows) return this.requestLogs.spentSince(owner, window.start);
    await flushLocalRows();
    const rebuilt = await this.requestLogs.spentSince(owner, window.start);
    await this.redis.set(key, String(rebuilt), 'EX', spendTtlSeconds(window, now), 'NX');
    return Number((await this.redis.get(key)) ?? rebuilt);
  }

  /** Adds `micro` to every period's counter of each owner that has one; answers the new values by owner and period (absent: no counter). */
  async add(owners: readonly SpendOwner[], micro: number, now: Date): Promise<Map<string, number>> {
    const keys = owners.flatMap((owner) => BUDGET_PERIODS.map((period) => REDIS_KEYS.spend(owner.kind, owner.id, budgetWindow(period, now).id)));
    const values = await ADD_TO_EXISTING.run(this.redis, keys, [String(micro)]);
    const totals = new Map<string, number>();
    owners.forEach((owner, i) =>
      BUDGET_PERIODS.forEach((period, j) => {
        const value = Number(values[i * BUDGET_PERIODS.length + j]);
        if (value >= 0) totals.set(ledgerEntry(owner, period), value);
      }),
    );
    return totals;
  }

  /** True the first time it is asked for this owner, event and period (SET NX): an announcement goes out once per period. */
  async firstAlert(event: 'warning' | 'exceeded', owner: SpendOwner, window: BudgetWindow, now: Date): Promise<boolean> {
    const answer = await this.redis.set(REDIS_KEYS.budgetAlert(event, owner.kind, owner.id, window.id), '1', 'EX', spendTtlSeconds(window, now), 'NX');
    return answer === 'OK';
  }

  /** API.md's `spend`: the budget's current period (none without a budget) and everything ever spent; read only (see `spent`). */
  async view(owner: SpendOwner, budget: Budget | null, now = new Date()): Promise<SpendView> {
    const total = this.spent(owner, budgetWindow('total', now), now);
    if (!budget) return { periodUsd: null, totalUsd: fromMicroUsd(await total), resetsAt: null };
    const window = budgetWindow(budget.period, now);
    const [periodMicro, totalMicro] = await Promise.all([budget.period === 'total' ? total : this.spent(owner, window, now), total]);
    return { periodUsd: fromMicroUsd(periodMicro), totalUsd: fromMicroUsd(totalMicro), resetsAt: window.resetsAt?.toISOString() ?? null };
  }
}

/** The key of `add`'s answer for one owner and period. */
export function ledgerEntry(owner: SpendOwner, period: BudgetPeriod): string {
  return `${owner.kind}:${owner.id}:${period}`;
}

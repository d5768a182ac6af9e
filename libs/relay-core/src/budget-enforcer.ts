import { Injectable, Logger } from '@nestjs/common';
import { Budget, BudgetEvent, EVENTS, Principal } from '@ish/contracts';
import { AmqpClient, ApiError } from '@ish/platform';
import { budgetWindow, BudgetsConfig, BudgetWindow, fromMicroUsd, ledgerEntry, retryAfterSeconds, SpendLedger, SpendOwner, toMicroUsd } from '@ish/budgets';
import { RequestLogWriter } from './request-log.writer';

/** Who pays for a call: the user, the key (if any), and the budgets that came with the credential. */
export interface BudgetCaller {
  userId: string;
  apiKeyId: string | null;
  /** the credential's own budget: the key's, or the user's for a session */
  budget?: Budget | null;
  /** a key's owner's budget */
  ownerBudget?: Budget | null;
}

/** One budget that applies to a call, with whose spend it counts. */
export interface BudgetLimit {
  owner: SpendOwner;
  budget: Budget;
}

/** The budgets that cap a call: a key's own and its user's, or a session's user's. */
export function budgetLimits(caller: BudgetCaller): BudgetLimit[] {
  const limits: BudgetLimit[] = [];
  const userBudget = caller.apiKeyId ? caller.ownerBudget : caller.budget;
  if (caller.apiKeyId && caller.budget) limits.push({ owner: { kind: 'api_key', id: caller.apiKeyId, userId: caller.userId }, budget: caller.budget });
  if (userBudget) limits.push({ owner: { kind: 'user', id: caller.userId }, budget: userBudget });
  return limits;
}

/** The budget fields of a caller from its principal (a key's and its owner's, or a session's user's). */
export function budgetsOf(principal: Principal): Pick<BudgetCaller, 'budget' | 'ownerBudget'> {
  return { budget: principal.budget ?? null, ownerBudget: principal.kind === 'api_key' ? (principal.ownerBudget ?? null) : null };
}

/** API.md's 429 `budget_exceeded`: no retry helps before the period resets (`Retry-After`, none for `total`). */
export function budgetExceededError(limit: BudgetLimit, window: BudgetWindow, now: Date): ApiError {
  const retryAfter = retryAfterSeconds(window, now);
  const whose = limit.owner.kind === 'api_key' ? "This API key's" : "This user's";
  const when = window.resetsAt ? `; it resets at ${window.resetsAt.toISOString()}` : '';
  const headers: Record<string, string> = { 'x-should-retry': 'false', ...(retryAfter === null ? {} : { 'Retry-After': String(retryAfter) }) };
  return new ApiError(429, 'rate_limit_error', 'budget_exceeded', `${whose} budget of ${limit.budget.limitUsd} USD per ${limit.budget.period} is spent${when}`, undefined, headers);
}

/**
 * Budgets on the AI-call path of relay and worker: checked before each upstream call, charged with
 * each call's estimated cost after it (the figure the request log holds), `budget.warning` and
 * `budget.exceeded` announced once per period. Calls running at once may each pass the check, so a
 * budget can be overshot by what is in flight.
 */
@Injectable()
export class BudgetEnforcer {
  private readonly logger = new Logger('Budgets');

  constructor(
    private readonly ledger: SpendLedger,
    private readonly requestLog: RequestLogWriter,
    private readonly client: AmqpClient,
    private readonly config: BudgetsConfig,
  ) {}

  /** 429 `budget_exceeded` at or over a budget; 503 when the spend cannot be read (fails closed). */
  async assertWithin(caller: BudgetCaller, now = new Date()): Promise<void> {
    for (const limit of budgetLimits(caller)) {
      const window = budgetWindow(limit.budget.period, now);
      let spent: number;
      try {
        spent = await this.ledger.spent(limit.owner, window, now, () => this.flushLocalRows());
      } catch (error) {
        this.logger.warn(`budget of ${limit.owner.kind} ${limit.owner.id} not checked: ${(error as Error).message}`);
        throw new ApiError(503, 'api_error', 'budget_unavailable', 'Spend cannot be checked against the budget right now; retry shortly', undefined, { 'Retry-After': '1' });
      }
      if (spent >= toMicroUsd(limit.budget.limitUsd)) {
        void this.announce('exceeded', caller.userId, limit, window, spent, now);
        throw budgetExceededError(limit, window, now);
      }
    }
  }

  /** Adds a finished call's cost to the key's and user's spend; never fails the call (a lost add is rebuilt from its request_logs row). */
  charge(caller: BudgetCaller, costUsd: number, now = new Date()): void {
    const micro = toMicroUsd(costUsd);
    if (micro <= 0) return;
    const owners: SpendOwner[] = caller.apiKeyId ? [{ kind: 'api_key', id: caller.apiKeyId, userId: caller.userId }, { kind: 'user', id: caller.userId }] : [{ kind: 'user', id: caller.userId }];
    void this.ledger
      .add(owners, micro, now)
      .then((totals) => this.announceCrossings(caller, totals, now))
      .catch((error: unknown) => this.logger.warn(`spend of ${caller.apiKeyId ?? caller.userId} not added (rebuilt later from the request log): ${(error as Error).message}`));
  }

  private async announceCrossings(caller: BudgetCaller, totals: Map<string, number>, now: Date): Promise<void> {
    for (const limit of budgetLimits(caller)) {
      const spent = totals.get(ledgerEntry(limit.owner, limit.budget.period));
      if (spent === undefined) continue;
      const window = budgetWindow(limit.budget.period, now);
      const limitMicro = toMicroUsd(limit.budget.limitUsd);
      if (spent >= limitMicro * this.config.BUDGET_WARNING_RATIO) await this.announce('warning', caller.userId, limit, window, spent, now);
      if (spent >= limitMicro) await this.announce('exceeded', caller.userId, limit, window, spent, now);
    }
  }

  /** Publishes the event the first time in the period (a Redis marker); a failure is logged, never thrown. */
  private async announce(event: 'warning' | 'exceeded', userId: string, limit: BudgetLimit, window: BudgetWindow, spent: number, now: Date): Promise<void> {
    try {
      if (!(await this.ledger.firstAlert(event, limit.owner, window, now))) return;
      const payload: BudgetEvent = {
        userId,
        scope: limit.owner.kind,
        apiKeyId: limit.owner.kind === 'api_key' ? limit.owner.id : null,
        limitUsd: limit.budget.limitUsd,
        period: limit.budget.period,
        spentUsd: fromMicroUsd(spent),
        resetsAt: window.resetsAt?.toISOString() ?? null,
      };
      const name = event === 'warning' ? EVENTS.budgetWarning : EVENTS.budgetExceeded;
      await this.client.publishEvent(name, payload, `${name}:${limit.owner.kind}:${limit.owner.id}:${window.id}`);
    } catch (error) {
      this.logger.warn(`budget.${event} for ${limit.owner.kind} ${limit.owner.id} not announced: ${(error as Error).message}`);
    }
  }

  /** This process's buffered request_logs rows reach the table before a counter is rebuilt from it. */
  private async flushLocalRows(): Promise<void> {
    await this.requestLog.flush();
    await this.requestLog.flush();
  }
}

import type { AmqpClient } from '@ish/platform';
import { ApiError } from '@ish/platform';
import { budgetWindow, BudgetsConfig, SpendLedger } from '@ish/budgets';
import { BudgetEnforcer, budgetExceededError, budgetLimits } from './budget-enforcer';
import type { RequestLogWriter } from './request-log.writer';

const day = { limitUsd: 1, period: 'day' as const };
const month = { limitUsd: 10, period: 'month' as const };

describe('budgetLimits', () => {
  it('a key is capped by its own budget and its owner\'s', () => {
    expect(budgetLimits({ userId: 'u', apiKeyId: 'k', budget: day, ownerBudget: month })).toEqual([
      { owner: { kind: 'api_key', id: 'k', userId: 'u' }, budget: day },
      { owner: { kind: 'user', id: 'u' }, budget: month },
    ]);
    expect(budgetLimits({ userId: 'u', apiKeyId: 'k', budget: null, ownerBudget: month })).toEqual([{ owner: { kind: 'user', id: 'u' }, budget: month }]);
  });

  it('a session is capped by its user\'s budget; nothing without budgets', () => {
    expect(budgetLimits({ userId: 'u', apiKeyId: null, budget: month })).toEqual([{ owner: { kind: 'user', id: 'u' }, budget: month }]);
    expect(budgetLimits({ userId: 'u', apiKeyId: null, ownerBudget: month })).toEqual([]);
    expect(budgetLimits({ userId: 'u', apiKeyId: 'k' })).toEqual([]);
  });
});

describe('budgetExceededError', () => {
  it('is a 429 budget_exceeded that says not to retry, with Retry-After until the period resets', () => {
    const now = new Date('2026-12-03T23:00:00.500Z');
    const error = budgetExceededError({ owner: { kind: 'api_key', id: 'k', userId: 'u' }, budget: day }, budgetWindow('day', now), now);
    expect(error.getStatus()).toBe(429);
    expect(error.toBody().error).toMatchObject({ type: 'rate_limit_error', code: 'budget_exceeded' });
    expect(error.headers).toEqual({ 'x-should-retry': 'false', 'Retry-After': '3600' });
  });

  it('has no Retry-After for a total budget', () => {
    const now = new Date('2026-12-03T23:00:00Z');
    const error = budgetExceededError({ owner: { kind: 'user', id: 'u' }, budget: { limitUsd: 5, period: 'total' } }, budgetWindow('total', now), now);
    expect(error.headers).toEqual({ 'x-should-retry': 'false' });
  });
});

describe('BudgetEnforcer', () => {
  function enforcer(spent: (owner: { kind: string }) => Promise<number>) {
    const ledger = { spent: jest.fn(spent), firstAlert: jest.fn(async () => false) } as unknown as SpendLedger;
    const config = Object.assign(new BudgetsConfig(), { BUDGET_WARNING_RATIO: 0.8 });
    return new BudgetEnforcer(ledger, { flush: async () => undefined } as unknown as RequestLogWriter, {} as AmqpClient, config);
  }
  const caller = { userId: 'u', apiKeyId: 'k', budget: day, ownerBudget: month };

  it('lets a call through below every limit and refuses it at the limit', async () => {
    await expect(enforcer(async () => 999_999).assertWithin(caller)).resolves.toBeUndefined();
    await expect(enforcer(async (owner) => (owner.kind === 'api_key' ? 1_000_000 : 0)).assertWithin(caller)).rejects.toMatchObject({ code: 'budget_exceeded' });
    await expect(enforcer(async (owner) => (owner.kind === 'user' ? 10_000_000 : 0)).assertWithin(caller)).rejects.toMatchObject({ code: 'budget_exceeded' });
  });

  it('fails closed: spend it cannot read is a 503, never a pass', async () => {
    const refusal = await enforcer(async () => Promise.reject(new Error('Connection is closed.')))
      .assertWithin(caller)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).getStatus()).toBe(503);
  });
});

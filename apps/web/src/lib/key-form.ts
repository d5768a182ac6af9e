import type { ApiKeyView, BudgetPeriod } from '../api/types';
import { formatBudgetLimit, parseBudget, parseLimit, parseModelList } from './format';

/** A key's editable settings as its form holds them (text as typed). */
export interface KeyForm {
  name: string;
  models: string;
  budgetLimit: string;
  period: BudgetPeriod;
  requests: string;
  tokens: string;
}

export function keyForm(key: ApiKeyView): KeyForm {
  return {
    name: key.name,
    models: (key.allowedModels ?? []).join(', '),
    budgetLimit: formatBudgetLimit(key.budget),
    period: key.budget?.period ?? 'month',
    requests: String(key.rateLimitPerMinute),
    tokens: key.tokensPerMinute ? String(key.tokensPerMinute) : '',
  };
}

/** The PATCH body of what the form changed on `key`: only those fields (null clears models, budget and the token limit). */
export function keyChanges(key: ApiKeyView, form: KeyForm): Record<string, unknown> {
  const before = keyForm(key);
  const body: Record<string, unknown> = {};
  if (form.name.trim() !== key.name) body.name = form.name.trim();
  const allowedModels = parseModelList(form.models) ?? null;
  if (JSON.stringify(allowedModels) !== JSON.stringify(key.allowedModels ?? null)) body.allowedModels = allowedModels;
  const budget = parseBudget(form.budgetLimit, form.period);
  if (JSON.stringify(budget) !== JSON.stringify(key.budget ?? null)) body.budget = budget;
  // the request limit has no "none": left empty, it stays as it is
  if (form.requests.trim() !== '' && form.requests !== before.requests) body.rateLimitPerMinute = Number(form.requests);
  if (form.tokens.trim() !== before.tokens) body.tokensPerMinute = parseLimit(form.tokens);
  return body;
}

import type { Budget, BudgetPeriod, ModelList, ModelWarnings, SpendView } from '../api/types';
import { BUDGET_PERIODS } from '../api/types';
import { errorFor } from '../api/errors';
import { useResource } from '../hooks';
import { parseModelList, timeAgo, withItem } from '../lib/format';
import { spendShare } from '../lib/usage';
import { useSession } from '../session';
import { Field } from './ui';

/** The model ids the signed-in credential may call (`GET /models`), to pick from. */
export function useModelIds(): string[] {
  const { client } = useSession();
  const models = useResource((signal) => client.json<ModelList>('GET', '/models', { signal }), [client]);
  return (models.data?.data ?? []).map((m) => m.id).sort();
}

/**
 * An allowedModels list: free text (ids, aliases, `provider/*`, separated by commas) with a box for each model the
 * gateway serves now, which adds or removes that model from the text.
 */
export function ModelPicker({ label, value, onChange, error, known }: { label: string; value: string; onChange: (text: string) => void; error?: string; known: readonly string[] }) {
  const chosen = parseModelList(value) ?? [];
  return (
    <>
      <Field label={label} error={error} hint="Model ids, aliases or provider/* (openai/*), separated by commas, or ticked below. Empty: every model." wide>
        {(id, describedBy) => <input id={id} placeholder="gpt-4o, anthropic/*" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />}
      </Field>
      {known.length > 0 ? (
        <fieldset className="field field--wide checks checks--models">
          <legend>Served now</legend>
          {known.map((model) => (
            <label key={model}>
              <input type="checkbox" checked={chosen.includes(model)} onChange={(e) => onChange(withItem(chosen, model, e.target.checked).join(', '))} /> {model}
            </label>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}

/** A budget as a form edits it: a USD limit (empty: none) and its period. */
export function BudgetFields({ limit, period, onLimit, onPeriod, errors }: { limit: string; period: BudgetPeriod; onLimit: (text: string) => void; onPeriod: (period: BudgetPeriod) => void; errors: Record<string, string> }) {
  const limitError = errorFor(errors, 'budget.limitUsd') ?? errors.budget;
  const periodError = errorFor(errors, 'budget.period');
  return (
    <>
      <Field label="Budget (USD)" error={limitError} hint="Estimated cost per period; at the limit calls get 429. Empty: no budget.">
        {(id, describedBy) => <input id={id} type="number" step="any" inputMode="decimal" placeholder="10.00" value={limit} onChange={(e) => onLimit(e.target.value)} aria-describedby={describedBy} aria-invalid={limitError ? true : undefined} />}
      </Field>
      <Field label="Budget period" error={periodError} hint="UTC days, ISO weeks, months, or for ever.">
        {(id, describedBy) => (
          <select id={id} value={period} onChange={(e) => onPeriod(e.target.value as BudgetPeriod)} aria-describedby={describedBy} aria-invalid={periodError ? true : undefined}>
            {BUDGET_PERIODS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

/** Spend against the budget as a bar, with the figures and when the period resets. */
export function SpendBar({ name, spend, budget }: { name: string; spend: SpendView | undefined; budget: Budget | null | undefined }) {
  const share = spendShare(spend, budget);
  return (
    <span className="stack spend">
      {budget ? (
        <meter className={`spend-bar spend-bar--${share.tone}`} min={0} max={budget.limitUsd} low={budget.limitUsd * 0.8} high={budget.limitUsd} optimum={0} value={Math.min(spend?.periodUsd ?? 0, budget.limitUsd)} aria-label={`Spend of ${name}`} />
      ) : null}
      <span className="cell-sub">{share.text}</span>
      {budget && spend?.resetsAt ? <span className="cell-sub">resets {timeAgo(spend.resetsAt)}</span> : null}
    </span>
  );
}

/** The API kept allowedModels entries that name nothing it routes to now: say which. */
export function ModelWarningsNotice({ answer }: { answer: ModelWarnings | null | undefined }) {
  if (!answer?.warnings?.length) return null;
  return (
    <div className="notice notice--warn" role="status">
      <ul className="plain-list">
        {answer.warnings.map((warning) => (
          <li key={warning.message}>{warning.message}</li>
        ))}
      </ul>
    </div>
  );
}

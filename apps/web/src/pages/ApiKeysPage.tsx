import { useState } from 'react';
import { fieldErrors } from '../api/errors';
import type { ApiKeyView, BudgetPeriod, CreatedApiKey, ModelWarnings, Scope } from '../api/types';
import { SCOPES } from '../api/types';
import { BudgetFields, ModelPicker, ModelWarningsNotice, SpendBar, useModelIds } from '../components/governance';
import { BadgeCell, CardTable, ConfirmButton, Empty, ErrorNotice, Field, Notice, PageHeader, SecretOnce, Section, SubmitButton } from '../components/ui';
import { useAction, useFormAction, useResource, useScrolledIntoView } from '../hooks';
import { formatKeyLimits, formatModelList, parseBudget, parseLimit, parseModelList, timeAgo, withItem } from '../lib/format';
import { keyChanges, keyForm, type KeyForm } from '../lib/key-form';
import { useSession } from '../session';

function keyState(key: ApiKeyView): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

export function ApiKeysPage() {
  const { client } = useSession();
  const keys = useResource((signal) => client.json<ApiKeyView[]>('GET', '/auth/api-keys', { signal }), [client]);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const models = useModelIds();
  const revoke = useAction(async (key: ApiKeyView) => {
    await client.json('DELETE', `/auth/api-keys/${key.id}`);
    keys.reload();
  });
  const list = keys.data ?? [];
  // the latest copy of the key being edited, so that a second save compares with what the first one stored
  const editing = list.find((key) => key.id === editingId && keyState(key) === 'active');
  return (
    <>
      <PageHeader title="API keys">Keys for programs: each holds the scopes you give it (never more than yours), the models it may call, what it may spend and its own rate and token limits.</PageHeader>
      {created ? (
        <Section title="New key">
          <SecretOnce label={`API key ${created.name}`} value={created.key} onDone={() => setCreated(null)}>
            This is the only time the full key is shown; only a hash is stored. Copy it now.
          </SecretOnce>
          <ModelWarningsNotice answer={created} />
        </Section>
      ) : null}
      <CreateKey
        models={models}
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      <Section title="Your keys">
        <ErrorNotice error={keys.error ?? revoke.error} />
        {keys.data && list.length === 0 ? <Empty>No keys yet.</Empty> : null}
        {list.length > 0 ? (
          <CardTable caption="Your API keys, newest first" columns={['Name', 'Key', 'Scopes', 'Models', 'Limits', 'Spend', 'Created', 'Status']} actions>
            {list.map((key) => {
              const state = keyState(key);
              return (
                <tr key={key.id} aria-label={key.name}>
                  <th scope="row" data-label="Name">
                    {key.name}
                  </th>
                  <td data-label="Key" className="mono">
                    {key.prefix}…
                  </td>
                  <td data-label="Scopes">{key.scopes.join(', ')}</td>
                  <td data-label="Models">{formatModelList(key.allowedModels)}</td>
                  <td data-label="Limits">
                    {formatKeyLimits(key)}
                  </td>
                  <td data-label="Spend">
                    <SpendBar name={key.name} spend={key.spend} budget={key.budget} />
                  </td>
                  <td data-label="Created">
                    {timeAgo(key.createdAt)}
                    {key.expiresAt ? <span className="cell-sub">expires {timeAgo(key.expiresAt)}</span> : null}
                  </td>
                  <BadgeCell label="Status" value={state} />
                  <td className="cell-actions">
                    <div className="row-actions">
                      {state === 'active' ? (
                        <>
                          <button type="button" className="button button--small" aria-label={`Edit ${key.name}`} onClick={() => setEditingId(key.id)}>
                            Edit
                          </button>
                          <ConfirmButton label="Revoke" confirmLabel="Revoke it" name={key.name} disabled={revoke.pending} onConfirm={() => void revoke.run(key)} />
                        </>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </CardTable>
        ) : null}
      </Section>
      {editing ? (
        <EditKey
          key={editing.id}
          apiKey={editing}
          models={models}
          onSaved={keys.reload}
          onClose={() => setEditingId(null)}
        />
      ) : null}
    </>
  );
}

function CreateKey({ models: known, onCreated }: { models: readonly string[]; onCreated: (key: CreatedApiKey) => void }) {
  const { client, me } = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['chat']);
  const [limit, setLimit] = useState('');
  const [tokens, setTokens] = useState('');
  const [models, setModels] = useState('');
  const [budgetLimit, setBudgetLimit] = useState('');
  const [period, setPeriod] = useState<BudgetPeriod>('month');
  const [expires, setExpires] = useState('');
  const mine = me.scopes.includes('admin') ? SCOPES : SCOPES.filter((s) => me.scopes.includes(s));
  const create = useFormAction(async () => {
    const allowedModels = parseModelList(models);
    const budget = parseBudget(budgetLimit, period);
    const tokensPerMinute = parseLimit(tokens);
    const body = {
      name: name.trim(),
      scopes,
      ...(allowedModels ? { allowedModels } : {}),
      ...(limit.trim() ? { rateLimitPerMinute: Number(limit) } : {}),
      ...(tokensPerMinute !== null ? { tokensPerMinute } : {}),
      ...(budget ? { budget } : {}),
      // the end of the chosen day, local time
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
    };
    onCreated(await client.json<CreatedApiKey>('POST', '/auth/api-keys', { body }));
    setName('');
    setLimit('');
    setTokens('');
    setModels('');
    setBudgetLimit('');
    setExpires('');
  });
  const errors = fieldErrors(create.error);
  const toggle = (scope: Scope, on: boolean) => setScopes((list) => withItem(list, scope, on));
  return (
    <Section title="Create a key">
      <form className="form form--grid" onSubmit={create.submit}>
        <Field label="Key name" wide error={errors.name}>
          {(id, describedBy) => <input id={id} required maxLength={100} placeholder="CI pipeline" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <fieldset className="field field--wide checks">
          <legend>Scopes</legend>
          {mine.map((scope) => (
            <label key={scope}>
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} /> {scope}
            </label>
          ))}
        </fieldset>
        <ModelPicker label="Models" value={models} onChange={setModels} known={known} error={errors.allowedModels} />
        <LimitFields requests={limit} tokens={tokens} onRequests={setLimit} onTokens={setTokens} errors={errors} requestsHint="Empty: the default limit. 0 (unlimited) or above the default: admins only." />
        <BudgetFields limit={budgetLimit} period={period} onLimit={setBudgetLimit} onPeriod={setPeriod} errors={errors} />
        <Field label="Expires on" hint="Empty: never." error={errors.expiresAt}>
          {(id, describedBy) => <input id={id} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <div className="form-actions">
          <SubmitButton pending={create.pending} busy="Creating…" disabled={scopes.length === 0}>Create key</SubmitButton>
        </div>
      </form>
      <ErrorNotice error={create.error} />
    </Section>
  );
}

/** A key's request and token limits per minute. */
function LimitFields({ requests, tokens, onRequests, onTokens, errors, requestsHint }: { requests: string; tokens: string; onRequests: (text: string) => void; onTokens: (text: string) => void; errors: Record<string, string>; requestsHint: string }) {
  return (
    <>
      <Field label="Requests per minute" hint={requestsHint} error={errors.rateLimitPerMinute}>
        {(id, describedBy) => <input id={id} type="number" min={0} max={1000000} value={requests} onChange={(e) => onRequests(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.rateLimitPerMinute ? true : undefined} />}
      </Field>
      <Field label="Tokens per minute" hint="Prompt + completion tokens. Empty or 0: no limit." error={errors.tokensPerMinute}>
        {(id, describedBy) => <input id={id} type="number" min={0} value={tokens} onChange={(e) => onTokens(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.tokensPerMinute ? true : undefined} />}
      </Field>
    </>
  );
}

const EDIT_SECTION = 'edit-key';

/** Changes a key's name, models, budget and limits; only what was changed is sent. */
function EditKey({ apiKey, models: known, onSaved, onClose }: { apiKey: ApiKeyView; models: readonly string[]; onSaved: () => void; onClose: () => void }) {
  const { client } = useSession();
  const [form, setForm] = useState(() => keyForm(apiKey));
  const set = <K extends keyof KeyForm>(field: K) => (value: KeyForm[K]) => setForm((f) => ({ ...f, [field]: value }));
  const save = useFormAction(async () => {
    const body = keyChanges(apiKey, form);
    if (Object.keys(body).length === 0) return { warnings: undefined, changed: false };
    const answer = await client.json<ApiKeyView & ModelWarnings>('PATCH', `/auth/api-keys/${apiKey.id}`, { body });
    onSaved();
    return { warnings: answer.warnings, changed: true };
  });
  const errors = fieldErrors(save.error);
  useScrolledIntoView(EDIT_SECTION);
  return (
    <Section id={EDIT_SECTION} title={`Edit ${apiKey.name}`} actions={<button type="button" className="button button--quiet" onClick={onClose}>Close</button>}>
      <form className="form form--grid" onSubmit={save.submit}>
        <Field label="Key name" wide error={errors.name}>
          {(id, describedBy) => <input id={id} required maxLength={100} value={form.name} onChange={(e) => set('name')(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <ModelPicker label="Models" value={form.models} onChange={set('models')} known={known} error={errors.allowedModels} />
        <LimitFields requests={form.requests} tokens={form.tokens} onRequests={set('requests')} onTokens={set('tokens')} errors={errors} requestsHint="0 (unlimited) or above the default: admins only." />
        <BudgetFields limit={form.budgetLimit} period={form.period} onLimit={set('budgetLimit')} onPeriod={set('period')} errors={errors} />
        <div className="form-actions">
          <SubmitButton pending={save.pending} busy="Saving…">Save changes</SubmitButton>
        </div>
      </form>
      <ErrorNotice error={save.error} />
      {save.outcome ? <Notice>{save.outcome.changed ? `Saved ${form.name.trim()}.` : 'Nothing changed.'}</Notice> : null}
      <ModelWarningsNotice answer={save.outcome} />
    </Section>
  );
}

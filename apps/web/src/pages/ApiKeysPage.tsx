import { useState } from 'react';
import type { ApiKeyView, CreatedApiKey, Scope } from '../api/types';
import { SCOPES } from '../api/types';
import { BadgeCell, CardTable, ConfirmButton, Empty, ErrorNotice, Field, PageHeader, SecretOnce, Section, SubmitButton } from '../components/ui';
import { useAction, useFormAction, useResource } from '../hooks';
import { formatKeyLimits, formatModelList, parseModelList, timeAgo, withItem } from '../lib/format';
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
  const revoke = useAction(async (key: ApiKeyView) => {
    await client.json('DELETE', `/auth/api-keys/${key.id}`);
    keys.reload();
  });
  const list = keys.data ?? [];
  return (
    <>
      <PageHeader title="API keys">Keys for programs: each holds the scopes you give it (never more than yours), the models it may call, its own rate limit and tokens per minute.</PageHeader>
      {created ? (
        <Section title="New key">
          <SecretOnce label={`API key ${created.name}`} value={created.key} onDone={() => setCreated(null)}>
            This is the only time the full key is shown; only a hash is stored. Copy it now.
          </SecretOnce>
        </Section>
      ) : null}
      <CreateKey
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      <Section title="Your keys">
        <ErrorNotice error={keys.error ?? revoke.error} />
        {keys.data && list.length === 0 ? <Empty>No keys yet.</Empty> : null}
        {list.length > 0 ? (
          <CardTable caption="Your API keys, newest first" columns={['Name', 'Key', 'Scopes', 'Models', 'Limit', 'Created', 'Status']} actions>
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
                  <td data-label="Limit">{formatKeyLimits(key)}</td>
                  <td data-label="Created">
                    {timeAgo(key.createdAt)}
                    {key.expiresAt ? <span className="cell-sub">expires {timeAgo(key.expiresAt)}</span> : null}
                  </td>
                  <BadgeCell label="Status" value={state} />
                  <td className="cell-actions">
                    <div className="row-actions">{state === 'active' ? <ConfirmButton label="Revoke" confirmLabel="Revoke it" name={key.name} disabled={revoke.pending} onConfirm={() => void revoke.run(key)} /> : null}</div>
                  </td>
                </tr>
              );
            })}
          </CardTable>
        ) : null}
      </Section>
    </>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const { client, me } = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['chat']);
  const [limit, setLimit] = useState('');
  const [tokens, setTokens] = useState('');
  const [models, setModels] = useState('');
  const [expires, setExpires] = useState('');
  const mine = me.scopes.includes('admin') ? SCOPES : SCOPES.filter((s) => me.scopes.includes(s));
  const create = useFormAction(async () => {
    const allowedModels = parseModelList(models);
    const body = {
      name: name.trim(),
      scopes,
      ...(allowedModels ? { allowedModels } : {}),
      ...(limit.trim() ? { rateLimitPerMinute: Number(limit) } : {}),
      ...(tokens.trim() ? { tokensPerMinute: Number(tokens) } : {}),
      // the end of the chosen day, local time
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
    };
    onCreated(await client.json<CreatedApiKey>('POST', '/auth/api-keys', { body }));
    setName('');
    setLimit('');
    setTokens('');
    setModels('');
    setExpires('');
  });
  const toggle = (scope: Scope, on: boolean) => setScopes((list) => withItem(list, scope, on));
  return (
    <Section title="Create a key">
      <form className="form form--grid" onSubmit={create.submit}>
        <Field label="Key name" wide>
          {(id) => <input id={id} required maxLength={100} placeholder="CI pipeline" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="field field--wide checks">
          <legend>Scopes</legend>
          {mine.map((scope) => (
            <label key={scope}>
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} /> {scope}
            </label>
          ))}
        </fieldset>
        <Field label="Models" hint="Model ids, aliases or provider/* (openai/*), separated by commas. Empty: every model your account may call." wide>
          {(id, hint) => <input id={id} placeholder="gpt-4o, anthropic/*" value={models} onChange={(e) => setModels(e.target.value)} aria-describedby={hint} />}
        </Field>
        <Field label="Requests per minute" hint="Empty: the default limit. 0 (unlimited) or above the default: admins only.">
          {(id, hint) => <input id={id} type="number" min={0} max={1000000} value={limit} onChange={(e) => setLimit(e.target.value)} aria-describedby={hint} />}
        </Field>
        <Field label="Tokens per minute" hint="Prompt + completion tokens, counted on every AI route. Empty or 0: no limit.">
          {(id, hint) => <input id={id} type="number" min={0} step={1} value={tokens} onChange={(e) => setTokens(e.target.value)} aria-describedby={hint} />}
        </Field>
        <Field label="Expires on" hint="Empty: never.">
          {(id, hint) => <input id={id} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} aria-describedby={hint} />}
        </Field>
        <div className="form-actions">
          <SubmitButton pending={create.pending} busy="Creating…" disabled={scopes.length === 0}>Create key</SubmitButton>
        </div>
      </form>
      <ErrorNotice error={create.error} />
    </Section>
  );
}

import { useRef, useState } from 'react';
import type { ApiKeyView, LogDetail, LogEntry } from '../api/types';
import { Badge, CardTable, Empty, ErrorNotice, Field, PageHeader, Section } from '../components/ui';
import { useAction, useResource, useScrolledIntoView } from '../hooks';
import { duration, shortId, timeAgo } from '../lib/format';
import { count, logsPath, usd, type LogFilters } from '../lib/usage';
import { useSession } from '../session';

const PAGE_SIZE = 50;
const DETAILS_SECTION = 'log-details';

/** The request log, newest first: a page at a time (`before` the last entry shown), filtered by model, outcome and key. */
export function LogsPage() {
  const { client, can } = useSession();
  const [filters, setFilters] = useState<LogFilters>({});
  const [older, setOlder] = useState<{ entries: LogEntry[]; done: boolean }>({ entries: [], done: false });
  const [openId, setOpenId] = useState<string | null>(null);
  const first = useResource(
    async (signal) => {
      const entries = await client.json<LogEntry[]>('GET', logsPath(filters, PAGE_SIZE), { signal });
      setOlder({ entries: [], done: entries.length < PAGE_SIZE });
      return entries;
    },
    [client, filters],
  );
  const keys = useResource((signal) => client.json<ApiKeyView[]>('GET', '/auth/api-keys', { signal }), [client]);
  const keyNames = new Map((keys.data ?? []).map((k) => [k.id, k.name]));
  const entries = [...(first.data ?? []), ...older.entries];
  const shown = useRef(filters);
  shown.current = filters;
  const more = useAction(async () => {
    const last = entries[entries.length - 1];
    const asked = filters;
    const page = await client.json<LogEntry[]>('GET', logsPath(asked, PAGE_SIZE, last.id), {});
    // the filters changed meanwhile: this page belongs to a list no longer shown
    if (shown.current !== asked) return;
    setOlder((o) => ({ entries: [...o.entries, ...page], done: page.length < PAGE_SIZE }));
  });
  return (
    <>
      <PageHeader title="Logs">Every upstream call{can('admin') ? ' of every user' : ' of your account'}, newest first: its route, model, key, outcome, latency, tokens and estimated cost. Open a call for its details.</PageHeader>
      <LogFilterForm
        keys={keys.data ?? []}
        onApply={(next) => {
          setOpenId(null);
          setFilters(next);
        }}
      />
      <Section
        title="Calls"
        actions={
          <button type="button" className="button button--quiet" onClick={first.reload}>
            Refresh
          </button>
        }
      >
        <ErrorNotice error={first.error ?? more.error} />
        {first.loading && !first.data ? <p role="status">Loading calls…</p> : null}
        {first.data && entries.length === 0 ? <Empty>No calls match.</Empty> : null}
        {entries.length > 0 ? (
          <CardTable caption="Calls, newest first" columns={['When', 'Route', 'Model', 'Key', 'Outcome', 'Latency', 'Tokens', 'Cost']}>
            {entries.map((entry) => (
              <tr key={entry.id} aria-label={`Call ${entry.id}`} className={entry.id === openId ? 'row--open' : undefined}>
                <th scope="row" data-label="When">
                  <button type="button" className="link-button" aria-label={`Details of call ${entry.id}`} aria-expanded={entry.id === openId} onClick={() => setOpenId(entry.id === openId ? null : entry.id)}>
                    {timeAgo(entry.createdAt)}
                  </button>
                </th>
                <td data-label="Route" className="mono">
                  {entry.route ?? '—'}
                </td>
                <td data-label="Model">
                  {entry.model}
                  {entry.provider ? <span className="cell-sub">{entry.provider}</span> : null}
                </td>
                <td data-label="Key">{entry.apiKeyId ? (keyNames.get(entry.apiKeyId) ?? shortId(entry.apiKeyId)) : 'session'}</td>
                <td data-label="Outcome">
                  <Badge value={entry.outcome === 'success' ? 'success' : 'failed'} label={`${entry.outcome}${entry.status ? ` ${entry.status}` : ''}`} />
                </td>
                <td data-label="Latency">{duration(entry.latencyMs)}</td>
                <td data-label="Tokens">
                  {count(entry.promptTokens)} + {count(entry.completionTokens)}
                </td>
                <td data-label="Cost">{usd(entry.costUsd)}</td>
              </tr>
            ))}
          </CardTable>
        ) : null}
        {entries.length > 0 && !older.done ? (
          <div className="form-actions">
            <button type="button" className="button" disabled={more.pending || first.loading} onClick={() => void more.run()}>
              {more.pending ? 'Loading…' : 'Older calls'}
            </button>
          </div>
        ) : null}
      </Section>
      {openId ? <LogDetails key={openId} id={openId} keyName={(id) => keyNames.get(id)} onClose={() => setOpenId(null)} /> : null}
    </>
  );
}

function LogFilterForm({ keys, onApply }: { keys: readonly ApiKeyView[]; onApply: (filters: LogFilters) => void }) {
  const [model, setModel] = useState('');
  const [status, setStatus] = useState('');
  const [apiKeyId, setApiKeyId] = useState('');
  return (
    <Section title="Filter">
      <form
        className="form form--inline"
        onSubmit={(e) => {
          e.preventDefault();
          onApply({ model, status, apiKeyId });
        }}
      >
        <Field label="Model">{(id) => <input id={id} placeholder="gpt-4o" value={model} onChange={(e) => setModel(e.target.value)} />}</Field>
        <Field label="Status" hint="An HTTP status works too (429).">
          {(id, describedBy) => (
            <>
              <input id={id} list={`${id}-choices`} placeholder="any" value={status} onChange={(e) => setStatus(e.target.value.trim())} aria-describedby={describedBy} />
              <datalist id={`${id}-choices`}>
                <option value="success" />
                <option value="error" />
              </datalist>
            </>
          )}
        </Field>
        <Field label="Key">
          {(id) => (
            <select id={id} value={apiKeyId} onChange={(e) => setApiKeyId(e.target.value)}>
              <option value="">any</option>
              {keys.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} ({k.prefix}…)
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            Show calls
          </button>
        </div>
      </form>
    </Section>
  );
}

const json = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** One call with everything the log kept (`GET /logs/{id}`); an admin also sees its prompt and reply when bodies are kept. */
function LogDetails({ id, keyName, onClose }: { id: string; keyName: (id: string) => string | undefined; onClose: () => void }) {
  const { client } = useSession();
  const detail = useResource((signal) => client.json<LogDetail>('GET', `/logs/${encodeURIComponent(id)}`, { signal }), [client, id]);
  useScrolledIntoView(DETAILS_SECTION);
  const call = detail.data;
  return (
    <Section
      id={DETAILS_SECTION}
      title={`Call ${id}`}
      actions={
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      }
    >
      <ErrorNotice error={detail.error} />
      {detail.loading && !call ? <p role="status">Loading the call…</p> : null}
      {call ? (
        <>
          <dl className="facts facts--wide" aria-label={`Details of call ${id}`}>
            <dt>Time</dt>
            <dd>{new Date(call.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC</dd>
            <dt>Request id</dt>
            <dd className="mono">{call.requestId ?? '—'}</dd>
            <dt>Route</dt>
            <dd className="mono">{call.route ?? '—'}</dd>
            <dt>Model</dt>
            <dd>{call.model}</dd>
            <dt>Provider</dt>
            <dd>{call.provider ?? '—'}</dd>
            <dt>Instance</dt>
            <dd className="mono">{call.instanceId ?? '—'}</dd>
            <dt>Key</dt>
            <dd>{call.apiKeyId ? (keyName(call.apiKeyId) ?? call.apiKeyId) : 'session'}</dd>
            <dt>Outcome</dt>
            <dd>
              {call.outcome}
              {call.status ? ` (HTTP ${call.status})` : ''}
            </dd>
            <dt>Latency</dt>
            <dd>{duration(call.latencyMs)}</dd>
            <dt>Prompt tokens</dt>
            <dd>{count(call.promptTokens)}</dd>
            <dt>Completion tokens</dt>
            <dd>{count(call.completionTokens)}</dd>
            <dt>Estimated cost</dt>
            <dd>{usd(call.costUsd)}</dd>
          </dl>
          {call.error ? (
            <div className="notice notice--error">
              <span>{call.error}</span>
            </div>
          ) : null}
          {call.request !== undefined ? (
            <figure className="output">
              <figcaption>Prompt</figcaption>
              <pre>{json(call.request)}</pre>
            </figure>
          ) : null}
          {call.response !== undefined ? (
            <figure className="output">
              <figcaption>Reply</figcaption>
              <pre>{json(call.response)}</pre>
            </figure>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}

import { useState } from 'react';
import type { HealthCheckResult, InstanceView, ProviderType } from '../api/types';
import { ANTHROPIC_VERSIONS, PROVIDER_TYPES } from '../api/types';
import { Badge, CardTable, ConfirmButton, Empty, ErrorNotice, Field, Notice, PageHeader, Section, Sparkline, SubmitButton } from '../components/ui';
import { useAction, useFormAction, useInterval, useResource } from '../hooks';
import { duration, timeAgo } from '../lib/format';
import { pushSample } from '../lib/sparkline';
import { useLiveEvents, useSession } from '../session';

const POLL_MS = 3000;

/** p50 latency of each instance, sampled at every refresh while the page is open */
type LatencyHistory = Record<string, number[]>;

export function InstancesPage() {
  const { client, can } = useSession();
  const [history, setHistory] = useState<LatencyHistory>({});
  const [checks, setChecks] = useState<Record<string, HealthCheckResult>>({});
  const instances = useResource(async (signal) => {
    const list = await client.json<InstanceView[]>('GET', '/instances', { signal });
    setHistory((previous) => Object.fromEntries(list.map((i) => [i.id, pushSample(previous[i.id] ?? [], i.stats.p50LatencyMs)])));
    return list;
  }, [client]);
  useInterval(instances.reload, POLL_MS);
  useLiveEvents(['instance.status_changed'], instances.reload);

  const change = useAction(async (instance: InstanceView, body: Record<string, unknown>) => {
    await client.json('PATCH', `/instances/${instance.id}`, { body });
    instances.reload();
  });
  const check = useAction(async (instance: InstanceView) => {
    const result = await client.json<HealthCheckResult>('POST', `/instances/${instance.id}/health-check`);
    setChecks((all) => ({ ...all, [instance.id]: result }));
    instances.reload();
  });
  const remove = useAction(async (instance: InstanceView) => {
    await client.json('DELETE', `/instances/${instance.id}`);
    instances.reload();
  });

  const list = instances.data ?? [];
  const counts = list.reduce<Record<string, number>>((all, i) => ({ ...all, [i.status]: (all[i.status] ?? 0) + 1 }), {});
  const writable = can('instances:write');

  return (
    <>
      <PageHeader title="Instances">Provider instances with their health, circuit breaker and latency. Unhealthy instances get no traffic until a probe succeeds again.</PageHeader>
      <ul className="stats" aria-label="Instances by status">
        <li>
          <strong>{list.length}</strong> total
        </li>
        {(['healthy', 'degraded', 'unhealthy', 'standby', 'disabled'] as const).map((status) => (
          <li key={status}>
            <strong>{counts[status] ?? 0}</strong> {status}
          </li>
        ))}
      </ul>
      <ErrorNotice error={instances.error} />
      <ErrorNotice error={change.error ?? check.error ?? remove.error} onDismiss={() => [change, check, remove].forEach((a) => a.clearError())} />

      <Section title="All instances">
        {instances.loading && !instances.data ? <p role="status">Loading instances…</p> : null}
        {instances.data && list.length === 0 ? <Empty>No instances yet{writable ? ': add one below.' : '.'}</Empty> : null}
        {list.length > 0 ? (
          <CardTable caption="Provider instances" columns={['Instance', 'Status', 'In flight', 'Latency p50 / p95', 'Checked']} actions>
            {list.map((instance) => (
              <tr key={instance.id} aria-label={instance.name}>
                <th scope="row" data-label="Instance">
                  <span className="cell-title">{instance.name}</span>
                  <span className="cell-sub">
                    {instance.providerType} · {instance.models.join(', ')}
                  </span>
                </th>
                <td data-label="Status">
                  <span className="stack">
                    <Badge value={instance.status} />
                    <span className="cell-sub">
                      circuit <Badge value={instance.circuit} />
                    </span>
                  </span>
                </td>
                <td data-label="In flight">
                  {instance.inFlight} / {instance.maxConcurrency}
                </td>
                <td data-label="Latency">
                  <span className="stack">
                    <span>
                      {duration(instance.stats.p50LatencyMs)} / {duration(instance.stats.p95LatencyMs)}
                    </span>
                    <Sparkline values={history[instance.id] ?? []} label={`p50 latency of ${instance.name}`} />
                    <span className="cell-sub">
                      {instance.stats.requests} requests · {instance.stats.errors} errors
                    </span>
                  </span>
                </td>
                <td data-label="Checked">
                  {timeAgo(instance.lastCheckedAt)}
                  {checks[instance.id] ? (
                    <span className="cell-sub">
                      probe {checks[instance.id].ok ? `ok in ${duration(checks[instance.id].latencyMs)}` : `failed: ${checks[instance.id].error ?? 'no answer'}`}
                    </span>
                  ) : null}
                </td>
                <td className="cell-actions">
                  <div className="row-actions"><button type="button" className="button button--small" aria-label={`Check ${instance.name} now`} disabled={check.pending} onClick={() => void check.run(instance)}>
                    Check now
                  </button>
                  {writable ? (
                    <>
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={`${instance.status === 'disabled' ? 'Enable' : 'Disable'} ${instance.name}`}
                        disabled={change.pending}
                        onClick={() => void change.run(instance, { enabled: instance.status === 'disabled' })}
                      >
                        {instance.status === 'disabled' ? 'Enable' : 'Disable'}
                      </button>
                      <ConfirmButton label="Remove" confirmLabel="Remove it" name={instance.name} onConfirm={() => void remove.run(instance)} />
                    </>
                  ) : null}</div>
                </td>
              </tr>
            ))}
          </CardTable>
        ) : null}
      </Section>

      {writable ? <AddInstance onAdded={instances.reload} /> : null}
    </>
  );
}

function AddInstance({ onAdded }: { onAdded: () => void }) {
  const { client } = useSession();
  const empty = {
    name: '',
    providerType: 'openai-compatible' as ProviderType,
    baseUrl: '',
    apiKey: '',
    models: '',
    weight: '',
    priority: '',
    maxConcurrency: '',
    standby: false,
    anthropicVersion: '',
    defaultMaxTokens: '',
    apiVersion: '',
    deployments: '',
  };
  const [form, setForm] = useState(empty);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const add = useFormAction(async () => {
    const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
    const body = {
      name: form.name.trim(),
      providerType: form.providerType,
      ...(form.baseUrl.trim() ? { baseUrl: form.baseUrl.trim() } : {}),
      ...(form.apiKey ? { apiKey: form.apiKey } : {}),
      models: form.models.split(',').map((m) => m.trim()).filter(Boolean),
      weight: number(form.weight),
      priority: number(form.priority),
      maxConcurrency: number(form.maxConcurrency),
      standby: form.standby,
      ...(form.providerType === 'anthropic'
        ? { ...(form.anthropicVersion ? { anthropicVersion: form.anthropicVersion } : {}), defaultMaxTokens: number(form.defaultMaxTokens) }
        : {}),
      ...(form.providerType === 'azure-openai'
        ? { ...(form.apiVersion.trim() ? { apiVersion: form.apiVersion.trim() } : {}), ...(form.deployments.trim() ? { deployments: deploymentMap(form.deployments) } : {}) }
        : {}),
    };
    const created = await client.json<InstanceView>('POST', '/instances', { body });
    setForm(empty);
    onAdded();
    return created.name;
  });
  return (
    <Section title="Add an instance">
      <form className="form form--grid" onSubmit={add.submit}>
        <Field label="Name">{(id) => <input id={id} required maxLength={100} value={form.name} onChange={(e) => set('name', e.target.value)} />}</Field>
        <Field label="Provider">
          {(id) => (
            <select id={id} value={form.providerType} onChange={(e) => set('providerType', e.target.value as ProviderType)}>
              {PROVIDER_TYPES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Base URL" hint="Required for openai-compatible and azure-openai (https://{resource}.openai.azure.com); the provider's public endpoint otherwise.">
          {(id, hint) => <input id={id} type="url" placeholder="https://…/v1" value={form.baseUrl} onChange={(e) => set('baseUrl', e.target.value)} aria-describedby={hint} />}
        </Field>
        <Field label="Provider API key" hint="Stored encrypted; never shown again.">
          {(id, hint) => <input id={id} type="password" autoComplete="off" value={form.apiKey} onChange={(e) => set('apiKey', e.target.value)} aria-describedby={hint} />}
        </Field>
        {form.providerType === 'anthropic' ? (
          <>
            <Field label="Anthropic version" hint="The anthropic-version header this instance sends.">
              {(id, hint) => (
                <select id={id} value={form.anthropicVersion} onChange={(e) => set('anthropicVersion', e.target.value)} aria-describedby={hint}>
                  <option value="">default ({ANTHROPIC_VERSIONS[0]})</option>
                  {ANTHROPIC_VERSIONS.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Default max tokens" hint="Sent when a request names none (Anthropic requires one).">
              {(id, hint) => <input id={id} type="number" min={1} inputMode="numeric" placeholder="4096" value={form.defaultMaxTokens} onChange={(e) => set('defaultMaxTokens', e.target.value)} aria-describedby={hint} />}
            </Field>
          </>
        ) : null}
        {form.providerType === 'azure-openai' ? (
          <>
            <Field label="API version" hint="v1 (default), preview, or a dated version such as 2024-10-21.">
              {(id, hint) => <input id={id} placeholder="v1" value={form.apiVersion} onChange={(e) => set('apiVersion', e.target.value)} aria-describedby={hint} />}
            </Field>
            <Field label="Deployments" hint="model=deployment, comma-separated; a model without one uses a deployment of its name." wide>
              {(id, hint) => <input id={id} placeholder="gpt-4o=prod-gpt-4o" value={form.deployments} onChange={(e) => set('deployments', e.target.value)} aria-describedby={hint} />}
            </Field>
          </>
        ) : null}
        <Field label="Models" hint="Comma-separated model ids." wide>
          {(id, hint) => <input id={id} required placeholder="gpt-4o, gpt-4o-mini" value={form.models} onChange={(e) => set('models', e.target.value)} aria-describedby={hint} />}
        </Field>
        <Field label="Weight">{(id) => <input id={id} type="number" min={0} max={1000} inputMode="numeric" value={form.weight} onChange={(e) => set('weight', e.target.value)} />}</Field>
        <Field label="Priority">{(id) => <input id={id} type="number" min={0} max={1000} inputMode="numeric" value={form.priority} onChange={(e) => set('priority', e.target.value)} />}</Field>
        <Field label="Max concurrency">
          {(id) => <input id={id} type="number" min={1} max={10000} inputMode="numeric" value={form.maxConcurrency} onChange={(e) => set('maxConcurrency', e.target.value)} />}
        </Field>
        <div className="field field--check">
          <label>
            <input type="checkbox" checked={form.standby} onChange={(e) => set('standby', e.target.checked)} /> Standby (activated by the scaler)
          </label>
        </div>
        <div className="form-actions">
          <SubmitButton pending={add.pending} busy="Adding…">Add instance</SubmitButton>
        </div>
      </form>
      <ErrorNotice error={add.error} />
      {add.outcome ? <Notice>Added {add.outcome}. Its first health probe follows within seconds.</Notice> : null}
    </Section>
  );
}

/** `gpt-4o=prod-4o, gpt-4o-mini=mini` → `{"gpt-4o":"prod-4o","gpt-4o-mini":"mini"}`; the server names a bad entry */
function deploymentMap(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter(([model]) => model)
      .map(([model, deployment]) => [model, deployment ?? '']),
  );
}

import { useEffect, useState } from 'react';
import type { RoutingPolicyView, RoutingStrategy, ScalingEventView, ScalingPolicyView } from '../api/types';
import { ROUTING_STRATEGIES } from '../api/types';
import { BadgeCell, CardTable, Empty, ErrorNotice, Field, Notice, PageHeader, Section, SubmitButton } from '../components/ui';
import { useFormAction, useInterval, useResource } from '../hooks';
import { formatFallbacks, parseFallbacks, percent, timeAgo } from '../lib/format';
import { useSession } from '../session';

const STRATEGY_TEXT: Record<RoutingStrategy, string> = {
  'least-latency': 'Least latency: the instance with the lowest p50',
  'least-connections': 'Least connections: the instance with the fewest requests in flight',
  'weighted-round-robin': 'Weighted round robin: in turn, by weight',
  'priority-failover': 'Priority failover: the highest priority first, the next on failure',
};

export function SettingsPage() {
  const { can } = useSession();
  return (
    <>
      <PageHeader title="Routing & scaling">How the relay picks an instance for a model, and when standby instances are brought in.</PageHeader>
      <RoutingSettings writable={can('instances:write')} />
      <ScalingSettings writable={can('instances:write')} />
      <ScalingEvents />
    </>
  );
}

function RoutingSettings({ writable }: { writable: boolean }) {
  const { client } = useSession();
  const routing = useResource((signal) => client.json<RoutingPolicyView>('GET', '/routing', { signal }), [client]);
  const [strategy, setStrategy] = useState<RoutingStrategy>('least-latency');
  const [fallbacks, setFallbacks] = useState('');
  const [aliases, setAliases] = useState('');
  useEffect(() => {
    if (!routing.data) return;
    setStrategy(routing.data.strategy);
    setFallbacks(formatFallbacks(routing.data.fallbacks ?? {}));
    setAliases(formatFallbacks(routing.data.aliases ?? {}));
  }, [routing.data]);
  const save = useFormAction(async () => {
    // PUT replaces the whole policy: aliases left out would be deleted
    const body = { strategy, fallbacks: parseFallbacks(fallbacks), aliases: parseFallbacks(aliases, 'alias: model, model') };
    await client.json('PUT', '/routing', { body });
    routing.reload();
    return 'saved';
  });
  return (
    <Section title="Routing">
      <ErrorNotice error={routing.error} />
      <form className="form form--grid" onSubmit={save.submit}>
        <Field label="Strategy" wide>
          {(id) => (
            <select id={id} value={strategy} disabled={!writable} onChange={(e) => setStrategy(e.target.value as RoutingStrategy)}>
              {ROUTING_STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {STRATEGY_TEXT[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Model fallbacks" hint="One line per model: model: fallback, fallback. Tried in order once every instance of the model has failed." wide>
          {(id, hint) => <textarea id={id} className="mono" rows={4} readOnly={!writable} value={fallbacks} onChange={(e) => setFallbacks(e.target.value)} aria-describedby={hint} placeholder="gpt-4o: gpt-4o-mini, sim-small" />}
        </Field>
        <Field label="Model aliases" hint="One line per alias: alias: model, model. Clients may ask for the alias; the first model a healthy instance serves answers, the rest are its fallbacks." wide>
          {(id, hint) => <textarea id={id} className="mono" rows={3} readOnly={!writable} value={aliases} onChange={(e) => setAliases(e.target.value)} aria-describedby={hint} placeholder="fast: gpt-4o-mini, sim-small" />}
        </Field>
        {writable ? (
          <div className="form-actions">
            <SubmitButton pending={save.pending} busy="Saving…" disabled={!routing.data}>Save routing</SubmitButton>
          </div>
        ) : null}
      </form>
      <ErrorNotice error={save.error} />
      {save.outcome ? <Notice>Routing saved: every relay and worker has the new table within a second.</Notice> : null}
    </Section>
  );
}

function ScalingSettings({ writable }: { writable: boolean }) {
  const { client } = useSession();
  const policy = useResource((signal) => client.json<ScalingPolicyView>('GET', '/instances/scaling', { signal }), [client]);
  const [form, setForm] = useState({ enabled: false, up: '', down: '', cooldown: '', minActive: '' });
  useEffect(() => {
    const p = policy.data;
    if (!p) return;
    setForm({ enabled: p.enabled, up: String(Math.round(p.scaleUpUtilization * 100)), down: String(Math.round(p.scaleDownUtilization * 100)), cooldown: String(p.cooldownSeconds), minActive: String(p.minActive) });
  }, [policy.data]);
  const save = useFormAction(async () => {
    const body: ScalingPolicyView = {
      enabled: form.enabled,
      scaleUpUtilization: Number(form.up) / 100,
      scaleDownUtilization: Number(form.down) / 100,
      cooldownSeconds: Number(form.cooldown),
      minActive: Number(form.minActive),
    };
    await client.json('PUT', '/instances/scaling', { body });
    policy.reload();
    return 'saved';
  });
  const set = (key: keyof typeof form, value: string | boolean) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <Section title="Standby scaling">
      <ErrorNotice error={policy.error} />
      <form className="form form--grid" onSubmit={save.submit}>
        <div className="field field--check field--wide">
          <label>
            <input type="checkbox" checked={form.enabled} disabled={!writable} onChange={(e) => set('enabled', e.target.checked)} /> Scale automatically
          </label>
        </div>
        <Field label="Scale up above (%)" hint="Utilization: requests in flight ÷ max concurrency of the active instances.">
          {(id, hint) => <input id={id} type="number" min={1} max={100} required readOnly={!writable} value={form.up} onChange={(e) => set('up', e.target.value)} aria-describedby={hint} />}
        </Field>
        <Field label="Scale down below (%)">{(id) => <input id={id} type="number" min={1} max={99} required readOnly={!writable} value={form.down} onChange={(e) => set('down', e.target.value)} />}</Field>
        <Field label="Cooldown (seconds)">{(id) => <input id={id} type="number" min={0} max={86400} required readOnly={!writable} value={form.cooldown} onChange={(e) => set('cooldown', e.target.value)} />}</Field>
        <Field label="Minimum active instances">{(id) => <input id={id} type="number" min={0} max={10000} required readOnly={!writable} value={form.minActive} onChange={(e) => set('minActive', e.target.value)} />}</Field>
        {writable ? (
          <div className="form-actions">
            <SubmitButton pending={save.pending} busy="Saving…" disabled={!policy.data}>Save scaling</SubmitButton>
          </div>
        ) : null}
      </form>
      <ErrorNotice error={save.error} />
      {save.outcome ? <Notice>Scaling saved: the scaler uses it from its next round.</Notice> : null}
    </Section>
  );
}

function ScalingEvents() {
  const { client } = useSession();
  const events = useResource((signal) => client.json<ScalingEventView[]>('GET', '/instances/scaling/events?limit=25', { signal }), [client]);
  useInterval(events.reload, 10_000);
  const list = events.data ?? [];
  return (
    <Section title="Scaling events">
      <ErrorNotice error={events.error} />
      {events.data && list.length === 0 ? <Empty>The scaler has not changed anything yet.</Empty> : null}
      {list.length > 0 ? (
        <CardTable caption="The scaler's decisions, newest first" columns={['When', 'Direction', 'Instance', 'Utilization', 'Reason']}>
          {list.map((e) => (
            <tr key={e.id}>
              <td data-label="When">
                <time dateTime={e.createdAt}>{timeAgo(e.createdAt)}</time>
              </td>
              <BadgeCell label="Direction" value={e.direction === 'up' ? 'healthy' : 'standby'} text={e.direction === 'up' ? 'scaled up' : 'scaled down'} />
              <td data-label="Instance">{e.instanceName ?? '—'}</td>
              <td data-label="Utilization">{percent(e.utilization)}</td>
              <td data-label="Reason">{e.reason}</td>
            </tr>
          ))}
        </CardTable>
      ) : null}
    </Section>
  );
}

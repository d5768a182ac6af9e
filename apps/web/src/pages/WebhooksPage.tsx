import { useState } from 'react';
import type { CreatedWebhook, WebhookDeliveryView, WebhookEventFilter, WebhookView } from '../api/types';
import { WEBHOOK_EVENTS } from '../api/types';
import { Badge, BadgeCell, CardTable, ConfirmButton, Empty, ErrorNotice, Field, IdCell, PageHeader, SecretOnce, Section, SubmitButton } from '../components/ui';
import { useAction, useFormAction, useInterval, useResource } from '../hooks';
import { duration, timeAgo, withItem } from '../lib/format';
import { useSession } from '../session';

export function WebhooksPage() {
  const { client, can } = useSession();
  const hooks = useResource((signal) => client.json<WebhookView[]>('GET', '/webhooks', { signal }), [client]);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  if (!can('webhooks')) {
    return (
      <>
        <PageHeader title="Webhooks" />
        <ErrorNotice error={new Error('This credential lacks the webhooks scope.')} />
      </>
    );
  }
  const list = hooks.data ?? [];
  return (
    <>
      <PageHeader title="Webhooks">Signed deliveries (Standard Webhooks) of job, instance and device events to your endpoints, retried with backoff.</PageHeader>
      {created ? (
        <Section title="Signing secret">
          <SecretOnce label={`Signing secret for ${created.url}`} value={created.secret} onDone={() => setCreated(null)}>
            Verify each delivery with this secret. Copy it now: it is shown only this once.
          </SecretOnce>
        </Section>
      ) : null}
      <Section title="Subscriptions">
        <ErrorNotice error={hooks.error} />
        {hooks.data && list.length === 0 ? <Empty>No subscriptions yet.</Empty> : null}
        <ul className="list">
          {list.map((hook) => (
            <Subscription key={hook.id} hook={hook} onChanged={hooks.reload} />
          ))}
        </ul>
      </Section>
      <CreateWebhook
        onCreated={(hook) => {
          setCreated(hook);
          hooks.reload();
        }}
      />
    </>
  );
}

function Subscription({ hook, onChanged }: { hook: WebhookView; onChanged: () => void }) {
  const { client } = useSession();
  const [open, setOpen] = useState(false);
  const change = useAction(async (body: Record<string, unknown>) => {
    await client.json('PATCH', `/webhooks/${hook.id}`, { body });
    onChanged();
  });
  const remove = useAction(async () => {
    await client.json('DELETE', `/webhooks/${hook.id}`);
    onChanged();
  });
  return (
    <li className="list-item">
      <div className="list-row">
        <div>
          <span className="cell-title mono">{hook.url}</span>
          <span className="cell-sub">
            {hook.events.join(', ')}
            {hook.description ? ` · ${hook.description}` : ''} · created {timeAgo(hook.createdAt)}
          </span>
          {hook.disabledReason ? <span className="cell-sub">Disabled: {hook.disabledReason}</span> : null}
        </div>
        <Badge value={hook.status} />
        <div className="row-actions">
          <button type="button" className="button button--small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide deliveries' : 'Deliveries'}
          </button>
          <button type="button" className="button button--small" disabled={change.pending} aria-label={`${hook.status === 'active' ? 'Disable' : 'Enable'} ${hook.url}`} onClick={() => void change.run({ enabled: hook.status !== 'active' })}>
            {hook.status === 'active' ? 'Disable' : 'Enable'}
          </button>
          <ConfirmButton label="Delete" confirmLabel="Delete it" name={hook.url} onConfirm={() => void remove.run()} />
        </div>
      </div>
      <ErrorNotice error={change.error ?? remove.error} />
      {open ? <Deliveries hook={hook} /> : null}
    </li>
  );
}

function Deliveries({ hook }: { hook: WebhookView }) {
  const { client } = useSession();
  const deliveries = useResource((signal) => client.json<WebhookDeliveryView[]>('GET', `/webhooks/${hook.id}/deliveries?limit=20`, { signal }), [client, hook.id]);
  // attempts and retries happen in the workers: follow them while the list is open
  useInterval(deliveries.reload, 3000);
  const redeliver = useAction(async (delivery: WebhookDeliveryView) => {
    await client.json('POST', `/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`);
    deliveries.reload();
  });
  const list = deliveries.data ?? [];
  return (
    <div className="deliveries">
      <ErrorNotice error={deliveries.error ?? redeliver.error} />
      {deliveries.data && list.length === 0 ? <Empty>Nothing delivered yet.</Empty> : null}
      {list.length > 0 ? (
        <CardTable caption={`Deliveries to ${hook.url}, newest first`} columns={['Delivery', 'Event', 'Status', 'Attempts', 'Last answer', 'Created']} actions>
          {list.map((delivery) => {
            const last = delivery.attempts[delivery.attempts.length - 1];
            return (
              <tr key={delivery.id}>
                <IdCell label="Delivery" id={delivery.id} />
                <td data-label="Event">{delivery.eventType}</td>
                <BadgeCell label="Status" value={delivery.status} />
                <td data-label="Attempts">{delivery.attemptCount}</td>
                <td data-label="Last answer">{last ? `${last.statusCode ?? last.error ?? 'no answer'} in ${duration(last.latencyMs)}` : '—'}</td>
                <td data-label="Created">{timeAgo(delivery.createdAt)}</td>
                <td className="cell-actions">
                  <div className="row-actions"><button type="button" className="button button--small" disabled={redeliver.pending || delivery.status === 'pending'} aria-label={`Redeliver ${delivery.id}`} onClick={() => void redeliver.run(delivery)}>
                    Redeliver
                  </button></div>
                </td>
              </tr>
            );
          })}
        </CardTable>
      ) : null}
    </div>
  );
}

function CreateWebhook({ onCreated }: { onCreated: (hook: CreatedWebhook) => void }) {
  const { client } = useSession();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventFilter[]>(['job.completed', 'job.failed']);
  const create = useFormAction(async () => {
    const body = { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) };
    onCreated(await client.json<CreatedWebhook>('POST', '/webhooks', { body }));
    setUrl('');
    setDescription('');
  });
  const toggle = (event: WebhookEventFilter, on: boolean) => setEvents((list) => withItem(list, event, on));
  return (
    <Section title="Add a subscription">
      <form className="form form--grid" onSubmit={create.submit}>
        <Field label="Endpoint URL" wide>
          {(id) => <input id={id} type="url" required placeholder="https://example.com/hooks/ish" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <fieldset className="field field--wide checks">
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event}>
              <input type="checkbox" checked={events.includes(event)} onChange={(e) => toggle(event, e.target.checked)} /> {event === '*' ? 'every event (*)' : event}
            </label>
          ))}
        </fieldset>
        <Field label="Description" wide>
          {(id) => <input id={id} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <SubmitButton pending={create.pending} busy="Adding…" disabled={events.length === 0}>Add subscription</SubmitButton>
        </div>
      </form>
      <ErrorNotice error={create.error} />
    </Section>
  );
}

import { useEffect, useId, useState } from 'react';
import type { AndroidStatus, DeviceView, ExecuteResult } from '../api/types';
import { Badge, ConfirmButton, Empty, ErrorNotice, Field, Notice, PageHeader, Section, SubmitButton } from '../components/ui';
import { useAction, useFormAction, useInterval, useResource } from '../hooks';
import { splitArgs } from '../lib/args';
import { duration } from '../lib/format';
import { useLiveEvents, useSession } from '../session';

export function DevicesPage() {
  const { client, can } = useSession();
  const status = useResource((signal) => client.json<AndroidStatus>('GET', '/android/status', { signal }), [client]);
  const devices = useResource((signal) => client.json<DeviceView[]>('GET', '/android/devices', { signal }), [client]);
  const refresh = () => {
    status.reload();
    devices.reload();
  };
  useInterval(refresh, 5000);
  useLiveEvents(['device.state_changed'], refresh);
  const list = devices.data ?? [];
  const adb = status.data?.adb;

  return (
    <>
      <PageHeader title="Devices">Android devices attached to the adb server. Commands come from the allow-list and run one at a time per device.</PageHeader>
      <ul className="stats" aria-label="adb server">
        <li>
          adb server <Badge value={adb ? (adb.connected ? 'healthy' : 'unhealthy') : 'pending'} label={adb ? (adb.connected ? `connected (${adb.version})` : 'not reachable') : '…'} />
        </li>
        <li>
          <strong>{status.data?.devices.online ?? 0}</strong> online
        </li>
        <li>
          <strong>{status.data?.devices.unauthorized ?? 0}</strong> unauthorized
        </li>
        <li>
          <strong>{status.data?.devices.offline ?? 0}</strong> offline
        </li>
      </ul>
      <ErrorNotice error={status.error ?? devices.error} />

      {devices.loading && !devices.data ? <p role="status">Loading devices…</p> : null}
      {devices.data && list.length === 0 ? <Empty>No devices. Connect one over TCP below, or attach one to the adb server.</Empty> : null}
      <div className="cards">
        {list.map((device) => (
          <DeviceCard key={device.serial} device={device} allowed={status.data?.allowedCommands ?? []} canExecute={can('android:execute')} onChanged={refresh} />
        ))}
      </div>

      {can('android:execute') ? <ConnectDevice onConnected={refresh} /> : null}
    </>
  );
}

function DeviceCard({ device, allowed, canExecute, onChanged }: { device: DeviceView; allowed: string[]; canExecute: boolean; onChanged: () => void }) {
  const { client } = useSession();
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [result, setResult] = useState<ExecuteResult | null>(null);
  const [screenshot, setScreenshot] = useState<string | null>(null);
  const name = device.model ?? device.serial;
  const argsHint = useId();
  const online = device.state === 'device';
  useEffect(() => {
    if (!command && allowed.length > 0) setCommand(allowed.includes('getprop') ? 'getprop' : allowed[0]);
  }, [allowed, command]);
  // the object URL holds the image in memory until it is revoked
  useEffect(() => () => void (screenshot && URL.revokeObjectURL(screenshot)), [screenshot]);

  const run = useFormAction(async () => {
    setResult(null);
    const body = { serial: device.serial, command, args: splitArgs(args) };
    setResult(await client.json<ExecuteResult>('POST', '/android/execute', { body }));
  });
  const capture = useAction(async () => {
    const response = await client.send('GET', `/android/devices/${encodeURIComponent(device.serial)}/screenshot`, { headers: { accept: 'image/png' } });
    setScreenshot(URL.createObjectURL(await response.blob()));
  });
  const disconnect = useAction(async () => {
    await client.json('POST', `/android/devices/${encodeURIComponent(device.serial)}/disconnect`);
    onChanged();
  });

  return (
    <article className="card device" aria-label={`Device ${name}`}>
      <header className="card-head">
        <div>
          <h2 className="card-title">{name}</h2>
          <span className="cell-sub mono">{device.serial}</span>
        </div>
        <Badge value={device.state} />
      </header>
      <dl className="facts">
        <div>
          <dt>Product</dt>
          <dd>{device.product ?? '—'}</dd>
        </div>
        <div>
          <dt>Android SDK</dt>
          <dd>{device.sdk ?? '—'}</dd>
        </div>
        <div>
          <dt>Battery</dt>
          <dd>
            {device.batteryLevel !== undefined ? (
              <>
                <meter min={0} max={100} low={20} high={50} optimum={100} value={device.batteryLevel} aria-label={`Battery of ${name}`}>
                  {device.batteryLevel} %
                </meter>{' '}
                {device.batteryLevel} %
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>

      {online && canExecute ? (
        <form className="command" onSubmit={run.submit} aria-label={`Run a command on ${name}`}>
          <div className="form form--inline">
            <Field label="Command">
              {(id) => (
                <select id={id} value={command} onChange={(e) => setCommand(e.target.value)}>
                  {allowed.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Arguments">
              {(id) => <input id={id} className="mono" value={args} onChange={(e) => setArgs(e.target.value)} placeholder="ro.product.model" aria-describedby={argsHint} />}
            </Field>
            <SubmitButton pending={run.pending} busy="Running…" disabled={!command}>Run</SubmitButton>
          </div>
          <small id={argsHint} className="hint">
            Arguments are separated by spaces; quote one that has spaces. Each reaches the device as plain text.
          </small>
        </form>
      ) : null}
      <ErrorNotice error={run.error} onDismiss={run.clearError} />
      {result ? (
        <figure className="output">
          <figcaption>
            {result.command} {result.args.join(' ')} · exit code {result.exitCode ?? 'none (output cut)'} · {duration(result.durationMs)}
          </figcaption>
          <pre aria-label={`Output of ${result.command} on ${name}`} tabIndex={0}>
            {result.stdout || '(no output)'}
          </pre>
        </figure>
      ) : null}

      <div className="card-actions">
        {online && canExecute ? (
          <button type="button" className="button" disabled={capture.pending} onClick={() => void capture.run()}>
            {capture.pending ? 'Taking screenshot…' : 'Take screenshot'}
          </button>
        ) : null}
        {canExecute ? <ConfirmButton label="Disconnect" confirmLabel="Disconnect it" name={name} small={false} onConfirm={() => void disconnect.run()} /> : null}
      </div>
      <ErrorNotice error={capture.error ?? disconnect.error} />
      {screenshot ? <img className="screenshot" src={screenshot} alt={`Screenshot of ${name}`} /> : null}
    </article>
  );
}

function ConnectDevice({ onConnected }: { onConnected: () => void }) {
  const { client } = useSession();
  const [host, setHost] = useState('');
  const [port, setPort] = useState('5555');
  const connect = useFormAction(async () => {
    const result = await client.json<{ serial: string; state: string }>('POST', '/android/devices/connect', { body: { host: host.trim(), port: Number(port) } });
    onConnected();
    return `${result.serial} (${result.state})`;
  });
  return (
    <Section title="Connect a device over TCP">
      <form className="form form--inline" onSubmit={connect.submit}>
        <Field label="Host">{(id) => <input id={id} required value={host} onChange={(e) => setHost(e.target.value)} placeholder="192.168.1.20" />}</Field>
        <Field label="Port">{(id) => <input id={id} type="number" min={1} max={65535} required value={port} onChange={(e) => setPort(e.target.value)} />}</Field>
        <SubmitButton pending={connect.pending} busy="Connecting…">Connect</SubmitButton>
      </form>
      <ErrorNotice error={connect.error} />
      {connect.outcome ? <Notice>Connected {connect.outcome}.</Notice> : null}
    </Section>
  );
}

import type { AggregatedHealth, DeviceView, InstanceView } from '@ish/contracts';
import { CliConfig, GatewayError, getJson } from './gateway';

/** `GET /api/v1/instances/status` (API.md). */
export interface InstancesSummary {
  providers: Record<string, { total: number; healthy: number; unhealthy: number }>;
  instances: number;
}

/** One dashboard section: what the API answered, or a short note on why it did not. */
export type Section<T> = { ok: true; value: T } | { ok: false; note: string };

export interface StatusData {
  gatewayUrl: string;
  fetchedAt: Date;
  health: Section<AggregatedHealth>;
  instances: Section<InstanceView[]>;
  summary: Section<InstancesSummary>;
  devices: Section<DeviceView[]>;
}

export const QUEUES_FOOTER = 'queue depths: not shown — the API has no queue endpoint and the gateway keeps /metrics inside';

async function section<T>(load: () => Promise<T>, explain: (error: GatewayError) => string = (e) => e.message): Promise<Section<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (error instanceof GatewayError) return { ok: false, note: explain(error) };
    throw error;
  }
}

function explainDevices(error: GatewayError): string {
  if (error.status === 403) return 'not shown: this API key lacks the android:read scope';
  if (error.status === 503) return 'not available: the adb server is not reachable (503)';
  return `not available: ${error.message}`;
}

/** Everything the dashboard shows, fetched in parallel; a failing call becomes a note in its section. */
export async function fetchStatus(config: CliConfig): Promise<StatusData> {
  const [health, instances, summary, devices] = await Promise.all([
    // a degraded system may answer 503 and still list its services
    section(() => getJson<AggregatedHealth>(config, '/api/v1/health', { acceptStatus: [503] })),
    section(() => getJson<InstanceView[]>(config, '/api/v1/instances')),
    section(() => getJson<InstancesSummary>(config, '/api/v1/instances/status')),
    section(() => getJson<DeviceView[]>(config, '/api/v1/android/devices'), explainDevices),
  ]);
  return { gatewayUrl: config.gatewayUrl, fetchedAt: new Date(), health, instances, summary, devices };
}

/** The first failure the dashboard cannot do without (devices are optional), for a one-shot run's exit code. */
export function essentialFailure(data: StatusData): string | undefined {
  for (const [name, s] of [['services', data.health], ['instances', data.instances], ['instance status', data.summary]] as const) {
    if (!s.ok) return `${name}: ${s.note}`;
  }
  return undefined;
}

/** Left-aligned columns, two spaces apart, with a header row. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => '  ' + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}

function renderServices(health: Section<AggregatedHealth>): string[] {
  if (!health.ok) return ['SERVICES', `  ${health.note}`];
  const rows = Object.entries(health.value.services).map(([name, state]) => [name, state]);
  return [`SERVICES  ${health.value.status} · version ${health.value.version}`, ...renderTable(['SERVICE', 'STATE'], rows)];
}

function renderSummary(summary: Section<InstancesSummary>): string {
  if (!summary.ok) return `status summary: ${summary.note}`;
  const providers = Object.entries(summary.value.providers).map(([provider, c]) => `${provider} ${c.healthy}/${c.total} healthy${c.unhealthy ? `, ${c.unhealthy} unhealthy` : ''}`);
  return `${summary.value.instances} total${providers.length ? ' · ' + providers.join(' · ') : ''}`;
}

function renderInstances(instances: Section<InstanceView[]>, summary: Section<InstancesSummary>): string[] {
  const title = `INSTANCES  ${renderSummary(summary)}`;
  if (!instances.ok) return [title, `  ${instances.note}`];
  if (instances.value.length === 0) return [title, '  none registered'];
  const rows = instances.value.map((i) => [i.name, i.providerType, i.status, i.circuit, String(i.inFlight), `${Math.round(i.stats.p50LatencyMs)} ms`]);
  return [title, ...renderTable(['NAME', 'PROVIDER', 'STATUS', 'CIRCUIT', 'IN-FLIGHT', 'P50'], rows)];
}

function renderDevices(devices: Section<DeviceView[]>): string[] {
  if (!devices.ok) return ['DEVICES', `  ${devices.note}`];
  if (devices.value.length === 0) return ['DEVICES', '  none attached'];
  const rows = devices.value.map((d) => [d.serial, d.state, d.model ?? '-', d.sdk === null ? '-' : String(d.sdk), d.batteryLevel === undefined ? '-' : `${d.batteryLevel}%`]);
  return ['DEVICES', ...renderTable(['SERIAL', 'STATE', 'MODEL', 'SDK', 'BATTERY'], rows)];
}

/** The dashboard as plain text: pure, so the same data always renders the same. */
export function renderStatus(data: StatusData): string {
  return [
    `ISH Chat · ${data.gatewayUrl} · ${data.fetchedAt.toISOString()}`,
    '',
    ...renderServices(data.health),
    '',
    ...renderInstances(data.instances, data.summary),
    '',
    ...renderDevices(data.devices),
    '',
    QUEUES_FOOTER,
  ].join('\n') + '\n';
}

import type { Chalk } from 'chalk';
import type { AggregatedHealth, DeviceView, InstanceView, QueueDepth, StatsView } from '@ish/contracts';
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
  queues: Section<StatsView['queues']>;
}

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
  const [health, instances, summary, devices, queues] = await Promise.all([
    // a degraded system may answer 503 and still list its services
    section(() => getJson<AggregatedHealth>(config, '/api/v1/health', { acceptStatus: [503] })),
    section(() => getJson<InstanceView[]>(config, '/api/v1/instances')),
    section(() => getJson<InstancesSummary>(config, '/api/v1/instances/status')),
    section(() => getJson<DeviceView[]>(config, '/api/v1/android/devices'), explainDevices),
    section(async () => (await getJson<StatsView>(config, '/api/v1/stats')).queues),
  ]);
  return { gatewayUrl: config.gatewayUrl, fetchedAt: new Date(), health, instances, summary, devices, queues };
}

/** The first failure the dashboard cannot do without (devices are optional), for a one-shot run's exit code. */
export function essentialFailure(data: StatusData): string | undefined {
  for (const [name, s] of [['services', data.health], ['instances', data.instances], ['instance status', data.summary]] as const) {
    if (!s.ok) return `${name}: ${s.note}`;
  }
  return undefined;
}

/** Paints one padded body cell (colour): `row` and `column` index the body rows, without the header. */
export type CellPainter = (cell: string, row: number, column: number) => string;

/** Left-aligned columns, two spaces apart, with a header row; `paint` colours body cells after padding, so colour codes never skew the widths. */
export function renderTable(header: string[], rows: string[][], paint: CellPainter = (cell) => cell): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (row: string[], r: number) => '  ' + row.map((cell, i) => {
    const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i]);
    return r < 0 ? padded : paint(padded, r, i);
  }).join('  ');
  return [line(header, -1), ...rows.map(line)];
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

/** The queue depths table (`ish status`, `ish top`); a queue Redis did not answer for shows dashes; `paint` marks waiting and failed jobs. */
export function renderQueues(queues: Record<string, QueueDepth | null>, paint?: Chalk): string[] {
  const names = Object.keys(queues);
  const rows = names.map((name) => {
    const depth = queues[name];
    return depth ? [name, String(depth.waiting), String(depth.active), String(depth.delayed), String(depth.failed)] : [name, '-', '-', '-', '-'];
  });
  return renderTable(['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'FAILED'], rows, (cell, row, column) => {
    const depth = queues[names[row]];
    if (!paint || !depth) return cell;
    if (column === 1 && depth.waiting > 0) return paint.yellow(cell);
    if (column === 4 && depth.failed > 0) return paint.red(cell);
    return cell;
  });
}

function renderQueueSection(queues: Section<StatsView['queues']>): string[] {
  return queues.ok ? ['QUEUES', ...renderQueues(queues.value)] : ['QUEUES', `  ${queues.note}`];
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
    ...renderQueueSection(data.queues),
  ].join('\n') + '\n';
}

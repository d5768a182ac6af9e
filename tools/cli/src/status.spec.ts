import type { InstanceView } from '@ish/contracts';
import chalk from 'chalk';
import { essentialFailure, renderQueues, renderStatus, renderTable, StatusData } from './status';

function instance(overrides: Partial<InstanceView>): InstanceView {
  return {
    id: 'id',
    name: 'sim',
    providerType: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:9/v1',
    models: ['sim-model'],
    weight: 1,
    priority: 0,
    maxConcurrency: 10,
    timeoutMs: 30000,
    standby: false,
    status: 'healthy',
    circuit: 'closed',
    inFlight: 0,
    stats: { requests: 0, errors: 0, p50LatencyMs: 0, p95LatencyMs: 0 },
    lastCheckedAt: null,
    hasApiKey: false,
    ...overrides,
  };
}

function statusData(overrides: Partial<StatusData> = {}): StatusData {
  return {
    gatewayUrl: 'http://127.0.0.1:8080',
    fetchedAt: new Date('2025-01-02T03:04:05.000Z'),
    health: { ok: true, value: { status: 'ok', version: '0.1.0', timestamp: '', services: { auth: 'up', relay: 'up', worker: 'down' } } },
    instances: {
      ok: true,
      value: [
        instance({ name: 'openai-main', providerType: 'openai', inFlight: 3, stats: { requests: 9, errors: 0, p50LatencyMs: 412.6, p95LatencyMs: 900 } }),
        instance({ name: 'local-sim', status: 'unhealthy', circuit: 'open' }),
      ],
    },
    summary: { ok: true, value: { instances: 2, providers: { openai: { total: 1, healthy: 1, unhealthy: 0 }, 'openai-compatible': { total: 1, healthy: 0, unhealthy: 1 } } } },
    devices: { ok: true, value: [{ serial: 'emulator-5554', state: 'device', model: 'Pixel_7', product: 'p', sdk: 34, batteryLevel: 80 }] },
    queues: { ok: true, value: { ai: { waiting: 12, active: 3, delayed: 0, failed: 1 }, adb: { waiting: 0, active: 0, delayed: 0, failed: 0 }, webhooks: null } },
    ...overrides,
  };
}

function lineWith(output: string, text: string): string {
  const line = output.split('\n').find((l) => l.includes(text));
  if (!line) throw new Error(`no line with ${text} in:\n${output}`);
  return line;
}

describe('renderStatus', () => {
  it('prints a header with the gateway and the time the data was fetched', () => {
    expect(renderStatus(statusData()).split('\n')[0]).toBe('ISH Chat · http://127.0.0.1:8080 · 2025-01-02T03:04:05.000Z');
  });

  it('lists every service with its state and the overall status', () => {
    const output = renderStatus(statusData());
    expect(output).toContain('SERVICES  ok · version 0.1.0');
    expect(lineWith(output, 'auth')).toMatch(/^ {2}auth\s+up$/);
    expect(lineWith(output, 'worker')).toMatch(/^ {2}worker\s+down$/);
  });

  it('shows one row per instance with provider, status, circuit, in-flight and a rounded p50, in aligned columns', () => {
    const output = renderStatus(statusData());
    expect(lineWith(output, 'openai-main').split(/\s{2,}/).filter(Boolean)).toEqual(['openai-main', 'openai', 'healthy', 'closed', '3', '413 ms']);
    expect(lineWith(output, 'local-sim').split(/\s{2,}/).filter(Boolean)).toEqual(['local-sim', 'openai-compatible', 'unhealthy', 'open', '0', '0 ms']);
    const header = lineWith(output, 'NAME');
    expect(lineWith(output, 'openai-main').indexOf('healthy')).toBe(header.indexOf('STATUS'));
  });

  it('summarises instances per provider from the status endpoint', () => {
    expect(renderStatus(statusData())).toContain('INSTANCES  2 total · openai 1/1 healthy · openai-compatible 0/1 healthy, 1 unhealthy');
  });

  it('lists devices with state, model, sdk and battery', () => {
    expect(lineWith(renderStatus(statusData()), 'emulator-5554').split(/\s{2,}/).filter(Boolean)).toEqual(['emulator-5554', 'device', 'Pixel_7', '34', '80%']);
  });

  it('says so when there are no instances or no devices', () => {
    const output = renderStatus(statusData({ instances: { ok: true, value: [] }, devices: { ok: true, value: [] } }));
    expect(output).toContain('  none registered');
    expect(output).toContain('  none attached');
  });

  it('replaces a section the API refused with its note and still renders the rest', () => {
    const output = renderStatus(statusData({ devices: { ok: false, note: 'not shown: this API key lacks the android:read scope' } }));
    expect(output).toMatch(/DEVICES\n {2}not shown: this API key lacks the android:read scope\n/);
    expect(output).toContain('openai-main');
  });

  it('ends with the queue depths per queue, dashes for a queue Redis did not answer for', () => {
    const output = renderStatus(statusData());
    expect(output.trimEnd().split('\n').slice(-4)).toEqual([
      '  QUEUE     WAITING  ACTIVE  DELAYED  FAILED',
      '  ai        12       3       0        1',
      '  adb       0        0       0        0',
      '  webhooks  -        -       -        -',
    ]);
    expect(output).toMatch(/\nQUEUES\n {2}QUEUE/);
  });

  it('shows why queue depths are missing when the stats call failed', () => {
    const output = renderStatus(statusData({ queues: { ok: false, note: '403 permission_error: Missing scope' } }));
    expect(output.trimEnd().split('\n').slice(-2)).toEqual(['QUEUES', '  403 permission_error: Missing scope']);
  });
});

describe('essentialFailure', () => {
  it('is undefined when services and instances loaded, even if devices did not', () => {
    expect(essentialFailure(statusData({ devices: { ok: false, note: 'x' } }))).toBeUndefined();
  });

  it('names the first section that failed', () => {
    expect(essentialFailure(statusData({ instances: { ok: false, note: '401 authentication_error: Invalid API key' } }))).toBe('instances: 401 authentication_error: Invalid API key');
  });
});

describe('renderTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(renderTable(['A', 'B'], [['long', 'x']])).toEqual(['  A     B', '  long  x']);
  });

  it('paints body cells after padding, so colours never skew the columns', () => {
    const paint = new chalk.Instance({ level: 1 });
    const rows = renderTable(['A', 'B'], [['x', 'y'], ['long', 'z']], (cell, row, column) => (row === 0 && column === 0 ? paint.red(cell) : cell));
    expect(rows).toEqual(['  A     B', `  ${paint.red('x   ')}  y`, '  long  z']);
  });
});

describe('renderQueues', () => {
  it('marks waiting jobs yellow and failed ones red when given a painter, and nothing else', () => {
    const paint = new chalk.Instance({ level: 1 });
    const [, ai, adb] = renderQueues({ ai: { waiting: 2, active: 0, delayed: 0, failed: 1 }, adb: { waiting: 0, active: 0, delayed: 0, failed: 0 } }, paint);
    expect(ai).toBe(`  ai     ${paint.yellow('2      ')}  0       0        ${paint.red('1')}`);
    expect(adb).toBe('  adb    0        0       0        0');
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_NAMES } from '@ish/contracts';
import { REPO_ROOT, serviceUrl } from '@ish/test-support';
import { readYamlDocuments } from './support/kustomize';
import { exposedMetricNames, metricNamesIn, withoutGrafanaVariables } from './support/promql';
import { ensureAptBinary, run } from './support/tools';

const PROMETHEUS_DIR = resolve(REPO_ROOT, 'docker/prometheus');
const DASHBOARD = resolve(REPO_ROOT, 'docker/grafana/dashboards/ish-chat-overview.json');
/** gauges prom-client's collectDefaultMetrics names with `_total`: not ours to rename, the only lint promtool may report */
const PROM_CLIENT_GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
/** series Prometheus itself writes for every target */
const PROMETHEUS_BUILTINS = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_series_added', 'scrape_samples_post_metric_relabeling']);

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

function alertExpressions(file: string): { alert: string; expr: string }[] {
  const rules = readYamlDocuments(resolve(PROMETHEUS_DIR, file))[0] as RuleFile;
  return rules.groups.flatMap((group) => group.rules.map((rule) => ({ alert: rule.alert ?? rule.record ?? '?', expr: rule.expr })));
}

/** The metric names the five running test apps export right now (after one request each, so histograms have samples). */
async function liveMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const service of SERVICE_NAMES) {
    await fetch(`${serviceUrl(service)}/health`);
    const response = await fetch(`${serviceUrl(service)}/metrics`);
    expect(response.status).toBe(200);
    for (const name of exposedMetricNames(await response.text())) names.add(name);
  }
  return names;
}

describe('Prometheus configuration (docker/prometheus)', () => {
  let promtool: string;
  beforeAll(() => {
    promtool = ensureAptBinary('promtool', 'prometheus');
  }, 300_000);

  it('passes `promtool check config`, loading alerts.yml', () => {
    const output = run(promtool, ['check', 'config', resolve(PROMETHEUS_DIR, 'prometheus.yml')]);
    expect(output).toMatch(/SUCCESS: .*prometheus\.yml is valid/);
    expect(output).toContain('1 rule files found');
  });

  it('passes `promtool check rules` for the live and the pending alerts', () => {
    const output = run(promtool, ['check', 'rules', resolve(PROMETHEUS_DIR, 'alerts.yml'), resolve(PROMETHEUS_DIR, 'alerts-pending.yml')]);
    expect(output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(2);
  });

  it('fires the alerts it should on sample series (`promtool test rules alerts.test.yml`)', () => {
    expect(run(promtool, ['test', 'rules', resolve(PROMETHEUS_DIR, 'alerts.test.yml')])).toContain('SUCCESS');
  });

  it("serves every app's /metrics so that `promtool check metrics` passes (counters end in _total, nothing else does)", async () => {
    const problems: string[] = [];
    for (const service of SERVICE_NAMES) {
      await fetch(`${serviceUrl(service)}/health`);
      const exposition = await (await fetch(`${serviceUrl(service)}/metrics`)).text();
      expect(exposition).toContain('# TYPE http_requests_total counter');
      const checked = spawnSync(promtool, ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 60_000 });
      if (checked.error) throw checked.error;
      const lines = `${checked.stdout}${checked.stderr}`.split('\n').filter((line) => line.trim() !== '');
      for (const line of lines) if (!PROM_CLIENT_GAUGES_NAMED_TOTAL.some((name) => line.startsWith(`${name} `))) problems.push(`${service}: ${line}`);
      // promtool lints only families with samples: the declared types are checked here, samples or not
      for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        if ((type === 'counter') !== name.endsWith('_total') && !PROM_CLIENT_GAUGES_NAMED_TOTAL.includes(name)) problems.push(`${service}: ${name} is a ${type}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('scrapes every app as a job of its own name, on its own port', () => {
    const config = readYamlDocuments(resolve(PROMETHEUS_DIR, 'prometheus.yml'))[0] as {
      scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
    };
    const ports: Record<string, number> = { auth: 8001, relay: 8002, 'instance-manager': 8003, 'android-bridge': 8004, worker: 8005 };
    for (const service of SERVICE_NAMES) {
      const job = config.scrape_configs.find((c) => c.job_name === service);
      expect(job?.dns_sd_configs).toEqual([expect.objectContaining({ names: [service], port: ports[service] })]);
    }
  });

  it('alerts only on metrics the running apps really export (or Prometheus itself writes)', async () => {
    const live = await liveMetricNames();
    const missing: string[] = [];
    const alerts = alertExpressions('alerts.yml');
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(['HighErrorRate', 'HighLatencyP95', 'WorkerDown', 'ServiceDown']));
    for (const { alert, expr } of alerts) {
      const names = metricNamesIn(expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) if (!live.has(name) && !PROMETHEUS_BUILTINS.has(name)) missing.push(`${alert}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  it('keeps the alerts on metrics not exported yet in alerts-pending.yml, out of prometheus.yml', async () => {
    const live = await liveMetricNames();
    const pending = alertExpressions('alerts-pending.yml');
    const names = [...new Set(pending.flatMap(({ expr }) => metricNamesIn(expr)))].sort();
    const arrived = names.filter((name) => live.has(name));
    // a note, not a failure: the metrics are being built elsewhere; an arrived one means its alert can move
    console.log(
      `alerts-pending.yml: the "exported" check is skipped for ${pending.length} alerts (${pending.map((p) => p.alert).join(', ')}) ` +
        `on metrics ${names.join(', ')}` +
        (arrived.length ? `; now exported, move their alerts to alerts.yml: ${arrived.join(', ')}` : '; none of them is exported yet'),
    );
    const config = readYamlDocuments(resolve(PROMETHEUS_DIR, 'prometheus.yml'))[0] as { rule_files: string[] };
    expect(config.rule_files).toEqual(['alerts.yml']);
    // every pending metric is documented in the file's header
    const header = readFileSync(resolve(PROMETHEUS_DIR, 'alerts-pending.yml'), 'utf8');
    for (const name of names) expect(header).toMatch(new RegExp(`^#\\s+${name}[{\\s]`, 'm'));
  });
});

describe('Grafana provisioning (docker/grafana)', () => {
  interface Panel {
    type: string;
    title: string;
    description?: string;
    datasource?: { uid: string };
    targets?: { expr: string }[];
  }
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Panel[] };
  const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');

  it('provisions the Prometheus datasource the dashboard panels name, and the dashboards folder', () => {
    const datasources = readYamlDocuments(resolve(REPO_ROOT, 'docker/grafana/provisioning/datasources/prometheus.yml'))[0] as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    for (const panel of queryPanels) expect(panel.datasource?.uid).toBe('prometheus');
    const providers = readYamlDocuments(resolve(REPO_ROOT, 'docker/grafana/provisioning/dashboards/ish-chat.yml'))[0] as { providers: { options: { path: string } }[] };
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    const compose = readFileSync(resolve(REPO_ROOT, 'docker/docker-compose.yml'), 'utf8');
    expect(compose).toContain('./grafana/dashboards:/var/lib/grafana/dashboards');
  });

  it('covers requests, latency, errors and memory per service', () => {
    const queries = queryPanels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(queries.some((q) => q.includes('http_requests_total') && q.includes('by (service)'))).toBe(true);
    expect(queries.some((q) => q.includes('histogram_quantile(0.95') && q.includes('http_request_duration_seconds_bucket'))).toBe(true);
    expect(queries.some((q) => q.includes('status_code=~"5.."'))).toBe(true);
    expect(queries.some((q) => q.includes('process_resident_memory_bytes'))).toBe(true);
  });

  it('charts tokens and estimated cost per model and provider', () => {
    const queries = queryPanels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(queries.some((q) => q.includes('ish_upstream_tokens_total') && q.includes('by (model, kind)'))).toBe(true);
    expect(queries.some((q) => q.includes('ish_upstream_cost_usd_total') && q.includes('by (model, provider)'))).toBe(true);
    expect(queries.some((q) => q.includes('ish_upstream_cost_usd_total') && q.includes('by (provider)'))).toBe(true);
  });

  it('queries only exported metrics, or pending ones documented in alerts-pending.yml', async () => {
    const live = await liveMetricNames();
    const pending = new Set(alertExpressions('alerts-pending.yml').flatMap(({ expr }) => metricNamesIn(expr)));
    const unknown: string[] = [];
    for (const panel of queryPanels) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? []) {
        for (const name of metricNamesIn(withoutGrafanaVariables(expr))) {
          if (!live.has(name) && !PROMETHEUS_BUILTINS.has(name) && !pending.has(name)) unknown.push(`${panel.title}: ${name}`);
          if (pending.has(name) && !live.has(name)) expect(`${panel.title} ${panel.description}`).toMatch(/pending/i);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});

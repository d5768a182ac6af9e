import { collectDefaultMetrics, Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Metric, Registry } from 'prom-client';
import type { NextFunction, Request, Response } from 'express';

/** The one registry of a process: every metric of every lib registers here. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/**
 * The one way to declare a metric: on the process registry, once (declaring a name again, as a Nest
 * provider made twice does, returns the first). Names say who emits them — the service
 * (`instance_manager_…`, `android_bridge_…`, `auth_…`), or the shared domain when several services do
 * (`http_…` every app, `ish_upstream_…` relay and worker, `adb_…`, `queue_…`, `webhook_…`); counters end
 * in `_total`, nothing else does (`promtool check metrics`, run on every app by tests/deploy).
 */
export function defineCounter<L extends string = string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  return declared(config.name, Counter) ?? new Counter({ ...config, registers: [metricsRegistry] });
}

export function defineGauge<L extends string = string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  return declared(config.name, Gauge) ?? new Gauge({ ...config, registers: [metricsRegistry] });
}

export function defineHistogram<L extends string = string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  return declared(config.name, Histogram) ?? new Histogram({ ...config, registers: [metricsRegistry] });
}

function declared<M extends Metric>(name: string, type: abstract new (...args: never[]) => M): M | undefined {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing && !(existing instanceof type)) throw new Error(`metric ${name} is already declared as another type`);
  return existing as M | undefined;
}

export const httpRequestsTotal = defineCounter({
  name: 'http_requests_total',
  help: 'HTTP requests served, by method, route and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
});

export const httpRequestDuration = defineHistogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration in seconds, by method, route and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

export function setDefaultMetricLabels(labels: Record<string, string>): void {
  metricsRegistry.setDefaultLabels(labels);
}

/**
 * Counts and times every request by its route template (`/api/v1/jobs/:id`, never the raw path, so
 * label cardinality stays bounded); requests that matched no route count as `unmatched`.
 */
export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const stopTimer = httpRequestDuration.startTimer();
  res.once('finish', () => {
    const route = req.route?.path ? `${req.baseUrl ?? ''}${String(req.route.path)}` : 'unmatched';
    const labels = { method: req.method, route, status_code: String(res.statusCode) };
    httpRequestsTotal.inc(labels);
    stopTimer(labels);
  });
  next();
}

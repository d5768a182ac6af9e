import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { NextFunction, Request, Response } from 'express';

/** The one registry of a process: every metric of every lib registers here. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestsTotal = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests served, by method, route and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration in seconds, by method, route and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
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

/** `GET /api/v1/health` through the gateway (API.md). */
export interface AggregatedHealth {
  status: 'ok' | 'degraded';
  version: string;
  timestamp: string;
  services: Record<string, 'up' | 'down'>;
}

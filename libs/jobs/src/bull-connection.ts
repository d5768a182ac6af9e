import type { ConnectionOptions } from 'bullmq';
import { LOADING_RECHECK_MS } from '@ish/platform';

/**
 * Connection options for BullMQ queues and workers from REDIS_URL. BullMQ opens its own
 * connections; workers need `maxRetriesPerRequest: null` for their blocking commands.
 */
export function bullConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    // as the shared client: back as soon as Redis has loaded its AOF, not after its whole-second ETA
    maxLoadingRetryTime: LOADING_RECHECK_MS,
  };
}

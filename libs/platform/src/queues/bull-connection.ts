import type { ConnectionOptions } from 'bullmq';

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
  };
}

import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';

/** Pending connections the kernel queues for us (capped by net.core.somaxconn): a burst of clients waits instead of timing out. */
export const LISTEN_BACKLOG = 4096;
/**
 * Idle keep-alive connections stay open longer than the gateway keeps them (nginx: 60 s), so nginx
 * never reuses a connection the app has just closed.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Listens on `port`; when `scanUpward` is set and the port is taken, tries the next ones (several
 * workers on one host each take their own port, API.md).
 */
export async function listenOnFreePort(app: INestApplication, port: number, host: string, scanUpward: boolean): Promise<number> {
  for (let candidate = port; candidate < port + (scanUpward ? 100 : 1); candidate++) {
    try {
      const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<Server>;
      const server = await listen(candidate, host, LISTEN_BACKLOG);
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !scanUpward) throw error;
    }
  }
  throw new Error(`no free port from ${port}`);
}

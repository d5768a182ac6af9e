import type { INestApplication } from '@nestjs/common';

/**
 * Listens on `port`; when `scanUpward` is set and the port is taken, tries the next ones (several
 * workers on one host each take their own port, API.md).
 */
export async function listenOnFreePort(app: INestApplication, port: number, host: string, scanUpward: boolean): Promise<number> {
  for (let candidate = port; candidate < port + (scanUpward ? 100 : 1); candidate++) {
    try {
      await app.listen(candidate, host);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !scanUpward) throw error;
    }
  }
  throw new Error(`no free port from ${port}`);
}

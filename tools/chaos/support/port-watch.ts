import { connect } from 'node:net';

/** Whether something accepts TCP connections on 127.0.0.1:`port` (within 500 ms). */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Watches a server's port while a fault is injected: `closedAt` is when it first stopped accepting
 * connections — the moment the server was really gone, which for a graceful restart comes a while
 * after the command was given.
 */
export class PortWatch {
  closedAt?: number;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(port: number, everyMs = 50) {
    this.loop = (async () => {
      while (!this.stopped && this.closedAt === undefined) {
        const checkedAt = Date.now();
        if (!(await portOpen(port))) this.closedAt = checkedAt;
        else await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
  }

  async stop(): Promise<number | undefined> {
    this.stopped = true;
    await this.loop;
    return this.closedAt;
  }
}

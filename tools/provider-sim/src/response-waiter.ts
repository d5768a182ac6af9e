import { ServerResponse } from 'node:http';

/** Delays tied to a response: they end early when the client goes away, and all can be cancelled on shutdown. */
export class ResponseWaiter {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Resolves true after `ms`, or false as soon as the response's connection closes. */
  wait(ms: number, res: ServerResponse): Promise<boolean> {
    if (res.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.off('close', onClose);
        resolve(true);
      }, ms);
      this.timers.add(timer);
      res.once('close', onClose);
    });
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

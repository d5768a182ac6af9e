import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RoutingTableSnapshot, RPC } from '@ish/contracts';
import { AmqpClient, AmqpConnection, ReadinessRegistry } from '@ish/platform';

const RETRY_MS = 1000;

/**
 * The local copy of the routing table that relay and worker route from, so choosing an instance
 * never costs a network round trip. Loaded by request/reply from the instance-manager at start and
 * after every reconnect (broadcasts may have been missed), then kept current by `routing.table_updated`.
 */
@Injectable()
export class RoutingTableStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RoutingTable');
  private table?: RoutingTableSnapshot;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly client: AmqpClient,
    private readonly connection: AmqpConnection,
    readiness: ReadinessRegistry,
  ) {
    readiness.add(async () =>
      this.table
        ? { 'routing-table': { status: 'up', version: this.table.version, instances: this.table.instances.length } }
        : { 'routing-table': { status: 'down', message: 'not loaded from instance-manager yet' } },
    );
  }

  onApplicationBootstrap(): void {
    this.connection.manager.on('connect', () => void this.load());
    void this.load();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  current(): RoutingTableSnapshot | undefined {
    return this.table;
  }

  /**
   * Resolves true once a table is held (at once when one is), false when none arrived within
   * `timeoutMs`: a process that just started can wait for its first table instead of routing from none.
   */
  loaded(timeoutMs: number): Promise<boolean> {
    if (this.table) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (held: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(onLoaded);
        resolve(held);
      };
      const onLoaded = () => settle(true);
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.waiters.add(onLoaded);
    });
  }

  /** Applies a broadcast table unless an equal or newer one is already held. */
  apply(update: RoutingTableSnapshot): void {
    if (this.table && update.version < this.table.version) return;
    this.table = {
      strategy: update.strategy,
      instances: update.instances,
      version: update.version,
      ...(update.fallbacks ? { fallbacks: update.fallbacks } : {}),
      ...(update.aliases ? { aliases: update.aliases } : {}),
    };
    for (const waiter of [...this.waiters]) waiter();
  }

  private async load(): Promise<void> {
    clearTimeout(this.retryTimer);
    try {
      const reply = await this.client.request<RoutingTableSnapshot>(RPC.instancesListRoutable, {});
      this.apply(reply);
      this.logger.log(`routing table v${reply.version} loaded: ${reply.instances.length} instance(s)`);
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(`routing table not loaded (${(error as Error).message}); retrying`);
      this.retryTimer = setTimeout(() => void this.load(), RETRY_MS);
    }
  }
}

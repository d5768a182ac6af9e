import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { CircuitState } from '@ish/contracts';
import { RedisClient } from '@ish/platform';
import { CircuitBreakerStore } from '@ish/routing';

/** The circuit of each instance as relay and worker see it (an expired open circuit shows as half_open). */
@Injectable()
export class CircuitStates implements OnApplicationShutdown {
  // no cache: views and the probe round must show what the probe just wrote
  private readonly store: CircuitBreakerStore;

  constructor(redis: RedisClient) {
    this.store = new CircuitBreakerStore(redis, { cacheTtlMs: 0 });
  }

  statesOf(instanceIds: readonly string[]): Promise<Map<string, CircuitState>> {
    return instanceIds.length === 0 ? Promise.resolve(new Map()) : this.store.statesOf(instanceIds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

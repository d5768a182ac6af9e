import type { OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { CircuitBreakerStore } from './circuit-breaker.store';
import type { CircuitRecord } from './circuit-breaker';

export interface ProbeCircuitOptions {
  /** failures in a row (probes and real calls alike) that open a closed circuit */
  failureThreshold: number;
  keyPrefix?: string;
  now?: () => number;
}

/**
 * Lets the health probe drive the circuit records relay and worker share (`ish:circuit:<id>`).
 * A probe is a deliberate, cheap call, so on a circuit that is not closed it is the half_open trial
 * at once, without waiting out the open duration: success closes the circuit, failure opens it
 * again from now. On a closed circuit a failure counts like any other and a success changes
 * nothing (one good probe does not wipe out failures real traffic just saw).
 */
export class ProbeCircuit implements OnApplicationShutdown {
  private readonly store: CircuitBreakerStore;

  constructor(redis: Redis, options: ProbeCircuitOptions) {
    this.store = new CircuitBreakerStore(redis, {
      // open duration 0: every probe on an open circuit may be its trial
      config: { failureThreshold: options.failureThreshold, openDurationMs: 0, halfOpenMaxTrials: 1 },
      cacheTtlMs: 0,
      keyPrefix: options.keyPrefix,
      now: options.now,
    });
  }

  async recordProbe(instanceId: string, ok: boolean): Promise<CircuitRecord> {
    const current = await this.store.get(instanceId);
    if (current.state === 'closed') return ok ? current : this.store.recordFailure(instanceId);
    await this.store.tryAcquire(instanceId);
    return ok ? this.store.recordSuccess(instanceId) : this.store.recordFailure(instanceId);
  }

  /** Forgets the circuit of an instance that is deleted or returned to service. */
  reset(instanceId: string): Promise<void> {
    return this.store.reset(instanceId);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

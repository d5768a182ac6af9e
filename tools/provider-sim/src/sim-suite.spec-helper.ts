import { startProviderSim } from './provider-sim';
import type { ProviderSim, ProviderSimOptions } from './types';

/**
 * One sim for the enclosing `describe`: started before its tests (`started` gets it, to build clients), closed after,
 * and cleared before each test (fault, stats, recorded requests) so that no test sees another's traffic.
 */
export function simForSuite(options: ProviderSimOptions, started: (sim: ProviderSim) => void): void {
  let sim: ProviderSim | undefined;
  beforeAll(async () => {
    sim = await startProviderSim(options);
    started(sim);
  });
  afterAll(() => sim?.close());
  beforeEach(() => {
    sim?.clearFault();
    sim?.resetStats();
    sim?.clearRequests();
  });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

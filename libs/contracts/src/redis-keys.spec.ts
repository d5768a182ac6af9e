import { REDIS_KEYS } from './redis-keys';

// Pinned byte for byte: a running Redis holds data under these names, so a change here must be deliberate.
describe('REDIS_KEYS', () => {
  it('builds the ish: keys byte-identical to what a running Redis holds', () => {
    expect(REDIS_KEYS.revoked('session', 's-1')).toBe('ish:revoked:session:s-1');
    expect(REDIS_KEYS.revoked('user', 'u-1')).toBe('ish:revoked:user:u-1');
    expect(REDIS_KEYS.revokedPrefix).toBe('ish:revoked:');
    expect(REDIS_KEYS.credentialRateLimitPrefix(120)).toBe('ish:rl:120');
    expect(REDIS_KEYS.tokensPerMinutePrefix).toBe('ish:tpm');
    expect(REDIS_KEYS.addressRateLimitPrefix(60)).toBe('ish:rl:addr:60');
    expect(REDIS_KEYS.screenshotRateLimitPrefix).toBe('ish:rl:screenshot');
    expect(REDIS_KEYS.loginAttemptsByAddressPrefix).toBe('ish:login-attempts:address');
    expect(REDIS_KEYS.loginAttemptsByAccountPrefix).toBe('ish:login-attempts:account');
    expect(REDIS_KEYS.idempotency('abc')).toBe('ish:idem:abc');
    expect(REDIS_KEYS.relayResponseCache('f00')).toBe('ish:llm-cache:f00');
    expect(REDIS_KEYS.completionResponseCache('f00')).toBe('ish:llm-cache:completions:f00');
    expect(REDIS_KEYS.eventStreamLeases('k-1')).toBe('ish:events:streams:k-1');
    expect(REDIS_KEYS.circuit('i-1')).toBe('ish:circuit:i-1');
    expect(REDIS_KEYS.circuitPrefix).toBe('ish:circuit:');
    expect(REDIS_KEYS.inFlight('relay-1')).toBe('ish:inflight:relay-1');
    expect(REDIS_KEYS.inFlightPrefix).toBe('ish:inflight:');
    expect(REDIS_KEYS.instanceManagerLeader).toBe('ish:instance-manager:leader');
    expect(REDIS_KEYS.probeFailures('i-1')).toBe('ish:health:probe-failures:i-1');
    expect(REDIS_KEYS.userJobs('u-1')).toBe('ish:jobs:user:u-1');
    expect(REDIS_KEYS.pendingJobOutcomes).toBe('ish:job-outcomes:pending');
  });

  it('builds the adb: keys byte-identical to what a running Redis holds', () => {
    expect(REDIS_KEYS.deviceLock('emulator-5554')).toBe('adb:lock:emulator-5554');
    expect(REDIS_KEYS.deviceLockPrefix).toBe('adb:lock:');
    expect(REDIS_KEYS.deviceState('emulator-5554')).toBe('adb:device-state:emulator-5554');
    expect(REDIS_KEYS.adbJobStarted('j-1')).toBe('adb:job-started:j-1');
  });

  it("names BullMQ's keys under its default prefix, as KEDA reads them", () => {
    expect(REDIS_KEYS.bullPrefix).toBe('bull');
    expect(REDIS_KEYS.bullWaitList('ai')).toBe('bull:ai:wait');
    expect(REDIS_KEYS.workerCanaryQueue('host:42')).toBe('health-host:42');
  });

  it('keeps each prefix the start of the keys built under it (SCAN patterns find every key)', () => {
    expect(REDIS_KEYS.revoked('user', 'x').startsWith(REDIS_KEYS.revokedPrefix)).toBe(true);
    expect(REDIS_KEYS.circuit('x').startsWith(REDIS_KEYS.circuitPrefix)).toBe(true);
    expect(REDIS_KEYS.inFlight('x').startsWith(REDIS_KEYS.inFlightPrefix)).toBe(true);
    expect(REDIS_KEYS.deviceLock('x').startsWith(REDIS_KEYS.deviceLockPrefix)).toBe(true);
  });
});

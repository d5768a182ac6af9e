import { disableReason } from './disable-policy';

describe('disabling an endpoint that keeps failing', () => {
  const policy = { afterFailedDeliveries: 5, afterFailingHours: 72 };
  const now = new Date('2026-01-10T00:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  it('keeps a healthy or briefly failing endpoint', () => {
    expect(disableReason({ consecutiveFailures: 0, failingSince: null }, policy, now)).toBeNull();
    expect(disableReason({ consecutiveFailures: 4, failingSince: hoursAgo(10) }, policy, now)).toBeNull();
  });

  it('disables after N failed deliveries in a row', () => {
    expect(disableReason({ consecutiveFailures: 5, failingSince: hoursAgo(1) }, policy, now)).toBe('5 deliveries in a row failed after every retry');
  });

  it('disables after failing for X hours, however few deliveries', () => {
    expect(disableReason({ consecutiveFailures: 1, failingSince: hoursAgo(73) }, policy, now)).toBe('failing for 73 hours with no successful delivery');
  });

  it('turns a rule off with 0', () => {
    expect(disableReason({ consecutiveFailures: 50, failingSince: hoursAgo(1) }, { ...policy, afterFailedDeliveries: 0 }, now)).toBeNull();
    expect(disableReason({ consecutiveFailures: 1, failingSince: hoursAgo(1000) }, { ...policy, afterFailingHours: 0 }, now)).toBeNull();
  });
});

/** When an endpoint that keeps failing is disabled (as Stripe and Svix do). 0 turns a rule off. */
export interface DisablePolicy {
  /** deliveries in a row that failed after their last retry */
  afterFailedDeliveries: number;
  /** hours since the first of the failed deliveries in a row, with no success since */
  afterFailingHours: number;
}

export interface EndpointFailureRecord {
  consecutiveFailures: number;
  failingSince: Date | null;
}

/** Why the endpoint should be disabled now, or null while it may keep trying. */
export function disableReason(record: EndpointFailureRecord, policy: DisablePolicy, now: Date = new Date()): string | null {
  if (record.consecutiveFailures <= 0) return null;
  if (policy.afterFailedDeliveries > 0 && record.consecutiveFailures >= policy.afterFailedDeliveries) {
    return `${record.consecutiveFailures} deliveries in a row failed after every retry`;
  }
  if (policy.afterFailingHours > 0 && record.failingSince) {
    const hours = (now.getTime() - record.failingSince.getTime()) / 3_600_000;
    if (hours >= policy.afterFailingHours) return `failing for ${Math.floor(hours)} hours with no successful delivery`;
  }
  return null;
}

import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BudgetEvent, EVENTS, JobEvent } from '@ish/contracts';
import { EventHub } from './event-hub';

/** Every relay process hears every event and passes it to the streams it holds (whichever replica a client is on). */
@Controller()
export class DomainEventsListener {
  constructor(private readonly hub: EventHub) {}

  @EventPattern(EVENTS.jobCompleted, { broadcast: true })
  onJobCompleted(@Payload() event: JobEvent): void {
    this.deliverJob(EVENTS.jobCompleted, event);
  }

  @EventPattern(EVENTS.jobFailed, { broadcast: true })
  onJobFailed(@Payload() event: JobEvent): void {
    this.deliverJob(EVENTS.jobFailed, event);
  }

  @EventPattern(EVENTS.instanceStatusChanged, { broadcast: true })
  onInstanceStatusChanged(@Payload() data: Record<string, unknown>): void {
    this.hub.deliver(null, { type: EVENTS.instanceStatusChanged, timestamp: new Date().toISOString(), data });
  }

  @EventPattern(EVENTS.deviceStateChanged, { broadcast: true })
  onDeviceStateChanged(@Payload() data: Record<string, unknown>): void {
    this.hub.deliver(null, { type: EVENTS.deviceStateChanged, timestamp: new Date().toISOString(), data });
  }

  @EventPattern(EVENTS.budgetWarning, { broadcast: true })
  onBudgetWarning(@Payload() event: BudgetEvent): void {
    this.deliverJob(EVENTS.budgetWarning, event);
  }

  @EventPattern(EVENTS.budgetExceeded, { broadcast: true })
  onBudgetExceeded(@Payload() event: BudgetEvent): void {
    this.deliverJob(EVENTS.budgetExceeded, event);
  }

  /** a user's event (a job's or a budget's) goes to that user's streams, without the userId */
  private deliverJob(type: string, event: JobEvent | BudgetEvent): void {
    const { userId, ...data } = event;
    this.hub.deliver(userId, { type, timestamp: new Date().toISOString(), data });
  }
}

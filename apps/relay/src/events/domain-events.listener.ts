import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENTS, JobEvent } from '@ish/contracts';
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

  private deliverJob(type: string, event: JobEvent): void {
    const { userId, ...data } = event;
    this.hub.deliver(userId, { type, timestamp: new Date().toISOString(), data });
  }
}

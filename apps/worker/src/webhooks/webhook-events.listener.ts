import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EVENTS } from '@ish/contracts';
import { AmqpContext } from '@ish/platform';
import { domainEventId, domainEventTime, WebhookFanout } from '@ish/webhooks';

/**
 * The domain events webhooks carry, consumed once per event by whichever worker takes it (a shared
 * durable queue per event, not a broadcast). The message is acked only after its deliveries are
 * stored and queued; a failure returns it to the queue.
 */
@Controller()
export class WebhookEventsListener {
  private readonly logger = new Logger('WebhookEvents');

  constructor(private readonly fanout: WebhookFanout) {}

  @EventPattern(EVENTS.jobCompleted)
  onJobCompleted(@Payload() payload: unknown, @Ctx() context: AmqpContext): Promise<void> {
    return this.fanOut(EVENTS.jobCompleted, payload, context);
  }

  @EventPattern(EVENTS.jobFailed)
  onJobFailed(@Payload() payload: unknown, @Ctx() context: AmqpContext): Promise<void> {
    return this.fanOut(EVENTS.jobFailed, payload, context);
  }

  @EventPattern(EVENTS.instanceStatusChanged)
  onInstanceStatusChanged(@Payload() payload: unknown, @Ctx() context: AmqpContext): Promise<void> {
    return this.fanOut(EVENTS.instanceStatusChanged, payload, context);
  }

  @EventPattern(EVENTS.deviceStateChanged)
  onDeviceStateChanged(@Payload() payload: unknown, @Ctx() context: AmqpContext): Promise<void> {
    return this.fanOut(EVENTS.deviceStateChanged, payload, context);
  }

  @EventPattern(EVENTS.budgetWarning)
  onBudgetWarning(@Payload() payload: unknown, @Ctx() context: AmqpContext): Promise<void> {
    return this.fanOut(EVENTS.budgetWarning, payload, context);
  }

  @EventPattern(EVENTS.budgetExceeded)
  onBudgetExceeded(@Payload() payload: unknown, @Ctx() context: AmqpContext): Promise<void> {
    return this.fanOut(EVENTS.budgetExceeded, payload, context);
  }

  private async fanOut(type: string, payload: unknown, context: AmqpContext): Promise<void> {
    const message = context.getMessage();
    const eventId = domainEventId(message);
    try {
      await this.fanout.fanOut({ type, eventId, occurredAt: domainEventTime(message), payload });
    } catch (error) {
      // the transport only names the error code; the reason belongs in the log
      this.logger.warn(`${type} ${eventId}: webhook deliveries not recorded yet (${(error as Error).message})`);
      throw error;
    }
  }
}

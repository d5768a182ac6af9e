import { Injectable, Logger } from '@nestjs/common';
import { DeviceEventState, DeviceStateChanged, EVENTS, REDIS_KEYS } from '@ish/contracts';
import type { DeviceTransition } from '@ish/adb';
import { AmqpClient, RedisClient } from '@ish/platform';
import { DevicePropertiesService } from './device-properties.service';

const STATE_TTL_MS = 7 * 86_400_000;
/**
 * Records the new state and answers the previous one, or nil when it was already recorded (another
 * bridge replica on the same adb server announced this change first). An absent key is `disconnected`.
 */
const CLAIM_TRANSITION = `
local previous = redis.call('GET', KEYS[1]) or 'disconnected'
if previous == ARGV[1] then return nil end
if ARGV[1] == 'disconnected' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return previous`;

/**
 * Publishes `device.state_changed` for each change the tracker saw, in order per device, once across
 * all bridge replicas (the last announced state of each device lives in Redis). A device that came
 * online is asked for its model first, so the event can name it.
 */
@Injectable()
export class DeviceEventsPublisher {
  private readonly logger = new Logger('DeviceEvents');
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly amqp: AmqpClient,
    private readonly redis: RedisClient,
    private readonly properties: DevicePropertiesService,
  ) {}

  publish(transitions: DeviceTransition[]): void {
    for (const transition of transitions) {
      const previous = this.queues.get(transition.serial) ?? Promise.resolve();
      const next = previous.then(() => this.announce(transition)).catch((error: Error) => this.logger.warn(`device ${transition.serial}: ${error.message}`));
      this.queues.set(transition.serial, next);
      void next.then(() => {
        if (this.queues.get(transition.serial) === next) this.queues.delete(transition.serial);
      });
    }
  }

  /** resolves once every event queued so far went out (tests, shutdown) */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private async announce(transition: DeviceTransition): Promise<void> {
    const { serial, to } = transition;
    let model: string | null | undefined;
    if (to === 'device') {
      model = (await this.properties.get(serial)).model;
    } else {
      model = this.properties.cached(serial)?.model;
      this.properties.forget(serial);
    }
    const from = await this.claim(transition);
    if (from === null) return;
    const event: DeviceStateChanged = { serial, from, to, ...(model ? { model } : {}) };
    this.logger.log({ event: EVENTS.deviceStateChanged, ...event }, `device ${serial}: ${from} → ${to}`);
    await this.amqp.publishEvent(EVENTS.deviceStateChanged, event);
  }

  private async claim(transition: DeviceTransition): Promise<DeviceEventState | null> {
    try {
      const previous = (await this.redis.eval(CLAIM_TRANSITION, 1, REDIS_KEYS.deviceState(transition.serial), transition.to, STATE_TTL_MS)) as DeviceEventState | null;
      return previous;
    } catch (error) {
      // without Redis a duplicate from another replica is better than a lost change
      this.logger.warn(`device state store unavailable (${(error as Error).message}); announcing anyway`);
      return transition.from;
    }
  }
}

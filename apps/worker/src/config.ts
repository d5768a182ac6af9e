import { IsInt, Max, Min } from 'class-validator';
import { AdbConfig } from '@ish/adb';
import { ConfigPart, ConfigParts, InstanceKeyConfig, PlatformConfig } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { RelayCoreConfig } from '@ish/relay-core';
import { WebhooksConfig } from '@ish/webhooks';

/** The worker's own queue settings. */
@ConfigPart()
export class WorkerConfig {
  /** jobs one worker process runs at once, per queue */
  @IsInt() @Min(1) @Max(1000)
  WORKER_CONCURRENCY = 16;

  /** a job whose lock is not renewed for this long is taken over by another worker (crash recovery) */
  @IsInt() @Min(1000) @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /**
   * a finished job whose job.completed / job.failed is not confirmed this long after is announced by
   * a sweep (its worker stopped between recording the outcome and publishing it)
   */
  @IsInt() @Min(1000) @Max(3_600_000)
  WORKER_OUTCOME_GRACE_MS = 30_000;
}

/**
 * What the worker reads, validated together at start: the relay's AI-call code, the adb code and webhook
 * delivery run here. No gateway and no guard: it serves health and metrics only.
 */
export const CONFIG_PARTS: ConfigParts = [PlatformConfig, InstanceKeyConfig, ProvidersConfig, RelayCoreConfig, AdbConfig, WebhooksConfig, WorkerConfig];

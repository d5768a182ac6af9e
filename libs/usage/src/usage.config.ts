import { IsInt, Max, Min } from 'class-validator';
import { ConfigPart } from '@ish/platform';

/** What the usage and logs APIs (auth) and the request log's retention sweep (instance-manager's leader) read. */
@ConfigPart()
export class UsageConfig {
  /** most buckets one GET /api/v1/usage answers per series (a 30-day hourly chart is 720); a longer range → 400 */
  @IsInt() @Min(24) @Max(100_000)
  USAGE_MAX_POINTS = 1000;

  /** days a call stays in the request log (and in usage); 0 keeps it for ever */
  @IsInt() @Min(0) @Max(36_500)
  REQUEST_LOG_RETENTION_DAYS = 90;

  /** days the prompt and reply of a call are kept (REQUEST_LOG_BODIES=true) before they are erased */
  @IsInt() @Min(1) @Max(36_500)
  REQUEST_LOG_BODIES_DAYS = 7;
}

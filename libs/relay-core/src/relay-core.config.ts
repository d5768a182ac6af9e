import { IsInt, Max, Min } from 'class-validator';
import { ConfigPart, envBoolean } from '@ish/platform';

/**
 * What relay and worker read alike: they run the same AI-call code (with InstanceKeyConfig to open provider
 * keys and ProvidersConfig to reach them).
 */
@ConfigPart()
export class RelayCoreConfig {
  /** instances tried for one request before giving up (API.md: default 3) */
  @IsInt() @Min(1) @Max(10)
  RELAY_MAX_ATTEMPTS = 3;

  /** seconds a deterministic (temperature 0) answer is served from the cache; 0 turns the cache off */
  @IsInt() @Min(0) @Max(7 * 86_400)
  LLM_CACHE_TTL = 300;

  /** most characters of message text in one request, over all messages (413 past it) */
  @IsInt() @Min(1) @Max(10_000_000)
  MAX_MESSAGE_CHARS = 2_000_000;

  /** seconds a finished job keeps its result */
  @IsInt() @Min(60) @Max(30 * 86_400)
  JOB_RESULT_TTL_SECONDS = 86_400;

  /** tries of one async job (exponential backoff between them) */
  @IsInt() @Min(1) @Max(20)
  JOB_ATTEMPTS = 3;

  /** earlier messages of a conversation sent along with a new one */
  @IsInt() @Min(0) @Max(500)
  CONVERSATION_HISTORY_MESSAGES = 20;

  /** the request log keeps each call's prompt and reply (credentials taken out), shown to admins in GET /api/v1/logs/{id} */
  @envBoolean()
  REQUEST_LOG_BODIES = false;
}

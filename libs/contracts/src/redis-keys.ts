import type { CredentialRevoked } from './auth';

/**
 * Every Redis key the processes share, in one table, as the RabbitMQ names are in messaging.ts.
 * Three namespaces: `ish:` (the services' own state), `adb:` (device state of bridge and worker) and
 * `bull:` (BullMQ's queues, under its default prefix). A key's bytes are a contract with the data in a
 * running Redis (noeviction: every key has a TTL or a bounded size): renaming one orphans what is stored
 * under the old name, so redis-keys.spec.ts pins each of them.
 *
 * Each entry says: the Redis type, who writes it, who reads it, and its TTL. `…Prefix` entries are for
 * SCAN patterns and for libraries that append their own suffix (rate-limiter-flexible adds `:<key>`).
 */
export const REDIS_KEYS = {
  // ── ish: ─────────────────────────────────────────────────────────────────────────────────────────

  /** STRING notBefore (epoch ms). Auth writes it (logout, refresh reuse, key deleted, user disabled or re-roled); every guard (libs/auth-guard) SCANs it at start and on reconnect. TTL access-token lifetime + 60 s. */
  revoked: (kind: CredentialRevoked['kind'], id: string) => `ish:revoked:${kind}:${id}`,
  revokedPrefix: 'ish:revoked:',

  /** rate-limiter-flexible counters per credential (`<prefix>:<credentialId>`), one prefix per budget. Every HTTP service's guard writes and reads them. TTL the 60 s window. */
  credentialRateLimitPrefix: (pointsPerMinute: number) => `ish:rl:${pointsPerMinute}`,
  /** rate-limiter-flexible counters of prompt + completion tokens per API key (`<prefix>:<apiKeyId>`), tokensPerMinute. Relay and worker write and read them (libs/relay-core). TTL the 60 s window. */
  tokensPerMinutePrefix: 'ish:tpm',
  /** rate-limiter-flexible counters per client address (`<prefix>:<address>`) for unauthenticated and failed requests. Every HTTP service's guard. TTL the 60 s window. */
  addressRateLimitPrefix: (pointsPerMinute: number) => `ish:rl:addr:${pointsPerMinute}`,
  /** rate-limiter-flexible counters per credential for screenshots. Android-bridge writes and reads them. TTL the 60 s window. */
  screenshotRateLimitPrefix: 'ish:rl:screenshot',
  /** rate-limiter-flexible counters of failed sign-ins per (account, address). Auth writes and reads them. TTL LOGIN_FAILURE_WINDOW_SECONDS. */
  loginAttemptsByAddressPrefix: 'ish:login-attempts:address',
  /** rate-limiter-flexible counters of failed sign-ins per account. Auth writes and reads them. TTL LOGIN_FAILURE_WINDOW_SECONDS. */
  loginAttemptsByAccountPrefix: 'ish:login-attempts:account',

  /** STRING JSON {state, fingerprint, answer?} of an Idempotency-Key (`derivedId`: hash of credential and key). Relay writes and reads it. TTL 24 h. */
  idempotency: (derivedId: string) => `ish:idem:${derivedId}`,
  /** STRING JSON answer of a deterministic /relay request (hash of model, provider, messages, maxTokens). Relay and worker write and read it. TTL LLM_CACHE_TTL. */
  relayResponseCache: (requestHash: string) => `ish:llm-cache:${requestHash}`,
  /** STRING JSON answer of a deterministic /chat/completions request (hash of the whole request). Relay writes and reads it. TTL LLM_CACHE_TTL. */
  completionResponseCache: (requestHash: string) => `ish:llm-cache:completions:${requestHash}`,
  /** ZSET stream id → lease end (ms): the open /events streams of a credential. Every relay writes and reads it. TTL twice the lease (90 s), renewed while open. */
  eventStreamLeases: (credentialId: string) => `ish:events:streams:${credentialId}`,

  /** STRING JSON circuit record of an instance. Relay and worker write it on each call's outcome, instance-manager's health probe too; all three read it. TTL 1 day. */
  circuit: (instanceId: string) => `ish:circuit:${instanceId}`,
  circuitPrefix: 'ish:circuit:',
  /** HASH instance id → calls in flight of one relay or worker process. That process writes it; instance-manager SCANs and reads it (utilization, scaler). TTL 10 s, rewritten every second. */
  inFlight: (processId: string) => `ish:inflight:${processId}`,
  inFlightPrefix: 'ish:inflight:',
  /** STRING holder id: which instance-manager replica runs the probe and scaling loops. Instance-manager writes and reads it. TTL LEADER_LOCK_TTL_MS, renewed by its holder. */
  instanceManagerLeader: 'ish:instance-manager:leader',
  /** STRING counter of failed health probes in a row of an instance. Instance-manager (the leader) writes and reads it. TTL 1 day. */
  probeFailures: (instanceId: string) => `ish:health:probe-failures:${instanceId}`,

  /** ZSET `<queue>:<jobId>` → submission time (ms): a user's jobs for GET /jobs. Relay (ai) and android-bridge (adb) write it; relay reads it. TTL 8 days, 1000 entries. */
  userJobs: (userId: string) => `ish:jobs:user:${userId}`,
  /** ZSET `<queue>:<jobId>` → noted at (ms): finished jobs whose job.completed/failed is not confirmed yet. Every worker writes and sweeps it. No TTL: entries leave once announced. */
  pendingJobOutcomes: 'ish:job-outcomes:pending',

  // ── adb: ─────────────────────────────────────────────────────────────────────────────────────────

  /** STRING holder token: one command at a time on a device. Android-bridge and worker write and read it (libs/adb DeviceLock). TTL the command's timeout plus a margin. */
  deviceLock: (serial: string) => `adb:lock:${serial}`,
  deviceLockPrefix: 'adb:lock:',
  /** STRING the device state last announced in device.state_changed (absent: disconnected). Every bridge replica writes and reads it. TTL 7 days. */
  deviceState: (serial: string) => `adb:device-state:${serial}`,
  /** STRING process id of the worker that started an adb job: a second try fails instead of running the command twice. Worker writes and reads it. TTL 7 days. */
  adbJobStarted: (jobId: string) => `adb:job-started:${jobId}`,

  // ── bull: ────────────────────────────────────────────────────────────────────────────────────────

  /** BullMQ's own keys of every queue (QUEUES, and each worker's `health-<processId>` canary) live under `bull:<queue>:…`; its default prefix, which we do not change. */
  bullPrefix: 'bull',
  /** LIST of a queue's waiting jobs (prioritized ones sit in `:prioritized`). BullMQ writes it; KEDA (k8s/base/autoscaling/worker-scaledobject.yaml) reads its length. */
  bullWaitList: (queue: string) => `bull:${queue}:wait`,
  /** The queue (not a key) of a worker process's readiness canary; BullMQ keeps it under `bull:health-<processId>:…`. That worker writes and reads it. Jobs removed when done. */
  workerCanaryQueue: (processId: string) => `health-${processId}`,
} as const;

import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';

/** API.md "Android": what a device looks like to clients (adb's other states read as `offline`). */
export const DEVICE_STATES = ['device', 'unauthorized', 'offline'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/** In `device.state_changed`, a device that appeared or went away is `disconnected` on that side. */
export type DeviceEventState = DeviceState | 'disconnected';

/** adb serials: `emulator-5554`, `R58M123ABC`, `127.0.0.1:6101`, `adb-XYZ._adb-tls-connect._tcp` */
export const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const SERIAL_MESSAGE = 'serial must be an adb serial (letters, digits, . _ : -; at most 128)';

/** Hard ceilings of the request shape; the configured limits (ANDROID_MAX_ARGS …) are stricter. */
export const MAX_ARGS_CEILING = 1024;
export const MAX_ARG_LENGTH = 8192;

export const EXECUTE_MODES = ['sync', 'async'] as const;
export type ExecuteMode = (typeof EXECUTE_MODES)[number];

/** `POST /api/v1/android/execute` */
export class ExecuteRequest {
  @IsString() @Matches(SERIAL_PATTERN, { message: SERIAL_MESSAGE }) serial: string;
  /** one program name from ANDROID_ALLOWED_COMMANDS (checked by the bridge, which knows the list) */
  @IsString() @Length(1, 64, { message: 'command must be one program name (1 to 64 characters)' }) command: string;
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ARGS_CEILING) @IsString({ each: true }) @MaxLength(MAX_ARG_LENGTH, { each: true }) args?: string[];
  /** how long the command may run on the device; default ANDROID_DEFAULT_TIMEOUT_MS */
  @IsOptional() @IsInt() @Min(100) @Max(600_000) timeoutMs?: number;
  @IsOptional() @IsIn(EXECUTE_MODES) mode?: ExecuteMode;
}

/** `POST /api/v1/android/devices/connect`: a device listening for adb over TCP. */
export class ConnectDeviceRequest {
  /** a host name or an IPv4 address (adb's `host:connect` has no syntax for IPv6 literals) */
  @IsString()
  @Matches(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, { message: 'host must be a host name or an IPv4 address' })
  @MaxLength(253)
  host: string;
  @IsInt() @Min(1) @Max(65535) port: number;
}

/** `GET /api/v1/android/audit?serial&userId&limit` */
export class AndroidAuditQuery {
  @IsOptional() @IsString() @Matches(SERIAL_PATTERN, { message: SERIAL_MESSAGE }) serial?: string;
  @IsOptional() @IsUUID() userId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** Sync answer of `execute` (and an `adb` job's result). */
export interface ExecuteResult {
  serial: string;
  command: string;
  args: string[];
  /** null when the output was cut at ANDROID_MAX_OUTPUT_BYTES (the command was stopped there) */
  exitCode: number | null;
  /** stdout and stderr as the device's shell merged them (adb shell protocol v1) */
  stdout: string;
  /** time on the device, from opening the shell to its end; waiting for the device lock is not counted */
  durationMs: number;
  /** extension: present and true when the output was cut */
  truncated?: boolean;
}

/** Async answer of `execute`; `Location: /api/v1/jobs/{jobId}` */
export interface ExecuteAccepted {
  jobId: string;
  status: 'queued';
}

export interface DeviceView {
  serial: string;
  state: DeviceState;
  model: string | null;
  product: string | null;
  sdk: number | null;
  batteryLevel?: number;
}

export interface AndroidStatus {
  adb: { connected: boolean; version: string | null };
  devices: { total: number; online: number; unauthorized: number; offline: number };
  /** the programs `POST /execute` accepts (ANDROID_ALLOWED_COMMANDS), so a client can offer them */
  allowedCommands: string[];
}

export interface ConnectDeviceResult {
  serial: string;
  state: DeviceState;
}

/**
 * What became of one execution: `completed` (the exit code is known, whatever it is), `truncated`
 * (output cut, command stopped), `timeout`, `rejected` (refused before anything reached the device:
 * allow-list, arguments, unknown or not-ready device), `busy` (the device lock was not free in time),
 * `failed` (adb or the device failed).
 */
export const EXECUTION_OUTCOMES = ['completed', 'truncated', 'timeout', 'rejected', 'busy', 'failed'] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];

/** One row of `GET /api/v1/android/audit`, newest first. */
export interface AndroidAuditEntry {
  id: string;
  userId: string | null;
  credentialId: string | null;
  serial: string;
  command: string;
  args: string[];
  exitCode: number | null;
  durationMs: number;
  bytesOut: number;
  outcome: ExecutionOutcome;
  errorCode: string | null;
  mode: ExecuteMode;
  jobId: string | null;
  createdAt: string;
}

/**
 * What an `adb` job (queue `adb`, job name JOBS.adbExecute, job id a UUID) carries to a worker.
 * The worker runs `request` with the bridge's own code (libs/adb AdbExecutor); the job's return value
 * is an ExecuteResult; a failed job's `failedReason` is the JSON of an API.md error body
 * (`{"type","code","message"}`), as for `ai` jobs. Jobs are not retried: a device command may not be
 * safe to run twice. `job.completed` / `job.failed` (JobEvent with `type: "adb"`) follow the outcome.
 */
export interface AdbJobData {
  type: 'adb';
  userId: string;
  credentialId: string;
  request: { serial: string; command: string; args: string[]; timeoutMs?: number };
  requestId?: string;
}

/** Event `device.state_changed`: published once per change, whichever bridge replica saw it first. */
export class DeviceStateChanged {
  @IsString() serial: string;
  @IsIn([...DEVICE_STATES, 'disconnected']) from: DeviceEventState;
  @IsIn([...DEVICE_STATES, 'disconnected']) to: DeviceEventState;
  @IsOptional() @IsString() model?: string;
}

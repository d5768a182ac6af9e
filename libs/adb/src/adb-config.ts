import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseConfig } from '@ish/platform';

export const DEFAULT_ALLOWED_COMMANDS = 'getprop,dumpsys,pm,am,input,wm,settings,screencap,echo,ls,cat';

/**
 * The adb variables, one schema for every process that drives devices: the bridge's config extends
 * it, the worker loads it beside its own (see `.env.example`).
 */
export class AdbConfig extends BaseConfig {
  /** the adb server (host protocol) */
  @IsString() @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'ADB_HOST must be a host name or an IP address' })
  ADB_HOST = '127.0.0.1';

  @IsInt() @Min(1) @Max(65535)
  ADB_PORT = 5037;

  /** program names `execute` may run, comma-separated */
  @Matches(/^\s*[A-Za-z0-9._-]+\s*(,\s*[A-Za-z0-9._-]+\s*)*$/, { message: 'ANDROID_ALLOWED_COMMANDS must be program names separated by commas' })
  ANDROID_ALLOWED_COMMANDS = DEFAULT_ALLOWED_COMMANDS;

  /** output kept per execution; beyond it the command is stopped and the answer says `truncated` */
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024)
  ANDROID_MAX_OUTPUT_BYTES = 1024 * 1024;

  /** largest screenshot accepted */
  @IsInt() @Min(64 * 1024) @Max(256 * 1024 * 1024)
  ANDROID_MAX_SCREENSHOT_BYTES = 32 * 1024 * 1024;

  /** run time of a command when the request names none */
  @IsInt() @Min(100) @Max(600_000)
  ANDROID_DEFAULT_TIMEOUT_MS = 30_000;

  /** arguments per command */
  @IsInt() @Min(0) @Max(1024)
  ANDROID_MAX_ARGS = 64;

  /** how long `POST /android/devices/connect` waits for adb (an unroutable host makes adb hang) before 502 connect_failed */
  @IsInt() @Min(100) @Max(120_000)
  ANDROID_CONNECT_TIMEOUT_MS = 5_000;

  /** how long a command waits for its device to be free before 409 device_busy */
  @IsInt() @Min(0) @Max(600_000)
  ANDROID_LOCK_WAIT_MS = 30_000;
}

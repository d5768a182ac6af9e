import { IsInt, IsString, Matches, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { ConfigPart } from '@ish/platform';

/**
 * Read-only programs: the allow-list a fresh install ships. `am`, `pm`, `settings`, `input` (and
 * `screencap`, `cat`) are opt-in: they change the device or read its files (docs/security.md).
 */
export const DEFAULT_ALLOWED_COMMANDS = 'getprop,dumpsys,wm,echo,ls';

/**
 * Programs that run another program or a script: one of them on the allow-list turns "these programs"
 * into "anything", so config load refuses them (`toybox sh -c …`, `xargs rm`, `find -exec`, `run-as`, …).
 */
export const PROGRAM_RUNNERS: readonly string[] = [
  // shells and multi-call binaries (each holds a shell)
  'sh', 'bash', 'ash', 'dash', 'mksh', 'zsh', 'ksh', 'csh', 'tcsh', 'fish', 'busybox', 'toybox', 'toolbox',
  // run a program they are given
  'xargs', 'find', 'env', 'exec', 'nice', 'ionice', 'renice', 'chrt', 'taskset', 'timeout', 'time', 'nohup', 'setsid',
  'stdbuf', 'watch', 'flock', 'chroot', 'nsenter', 'unshare', 'runcon', 'logwrapper', 'strace', 'ltrace', 'simpleperf',
  'linker', 'linker64', 'start-stop-daemon', 'script', 'parallel',
  // switch user or identity
  'su', 'sudo', 'doas', 'run-as', 'magisk',
  // interpreters
  'awk', 'gawk', 'mawk', 'nawk', 'sed', 'perl', 'python', 'python3', 'lua', 'node', 'app_process', 'app_process32',
  'app_process64', 'dalvikvm', 'dalvikvm32', 'dalvikvm64', 'vi', 'vim', 'ed', 'expect',
];

const RUNNERS = new Set(PROGRAM_RUNNERS);

/** The names of `list` (comma-separated) that run other programs, in order. */
export function programRunnersIn(list: string): string[] {
  return list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => RUNNERS.has(name.toLowerCase()));
}

/** Refuses an allow-list naming a shell, an interpreter or a wrapper that runs another program. */
function RunsNoOtherProgram(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'runsNoOtherProgram',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || programRunnersIn(value).length === 0,
        defaultMessage: (args) =>
          `${args?.property} must not name programs that run other programs (${programRunnersIn(String(args?.value)).join(', ')}): they would allow any command on the device`,
      },
    },
    options,
  );
}

/** The adb variables, one part for every process that drives devices: the bridge and the worker list it. */
@ConfigPart()
export class AdbConfig {
  /** the adb server (host protocol) */
  @IsString() @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'ADB_HOST must be a host name or an IP address' })
  ADB_HOST = '127.0.0.1';

  @IsInt() @Min(1) @Max(65535)
  ADB_PORT = 5037;

  /** program names `execute` may run, comma-separated; never one that runs other programs */
  @Matches(/^\s*[A-Za-z0-9._-]+\s*(,\s*[A-Za-z0-9._-]+\s*)*$/, { message: 'ANDROID_ALLOWED_COMMANDS must be program names separated by commas' })
  @RunsNoOtherProgram()
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

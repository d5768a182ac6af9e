import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { ExecuteMode, ExecuteResult, ExecutionOutcome } from '@ish/contracts';
import { ApiError } from '@ish/platform';
import type { AdbServer } from './adb-server';
import { adbUnavailable, commandTimeout, deviceFailure, deviceNotFound, deviceNotReady, fromAdbFailure } from './adb-errors';
import { adbExecutionDuration, adbExecutionsTotal, adbLockWait } from './adb-metrics';
import { collectOutput } from './collect-output';
import { CommandPolicy } from './command-policy';
import { DeviceLock } from './device-lock';
import { toDeviceState } from './device-states';
import { EXIT_TRAILER_MAX_BYTES, splitExitStatus, withExitStatus } from './exit-status';
import type { ExecutionAuditSink } from './execution-audit-sink';
import { isPng, repairPtyNewlines } from './png';
import { buildCommandLine } from './shell-quote';

/** The part of the adb server the executor uses. */
export type AdbHost = Pick<AdbServer, 'listDevices' | 'getDevice'>;

export interface ExecutorLimits {
  maxOutputBytes: number;
  maxScreenshotBytes: number;
  defaultTimeoutMs: number;
  lockWaitMs: number;
}

/** Who asked, for the audit trail. */
export interface ExecutionActor {
  userId: string | null;
  credentialId: string | null;
  mode: ExecuteMode;
  jobId?: string | null;
}

export interface ExecuteCommand {
  serial: string;
  command: string;
  args?: string[];
  timeoutMs?: number;
}

interface ShellRun {
  data: Buffer;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

/** a killed command's lock still covers adb closing its session */
const LOCK_TTL_MARGIN_MS = 5000;
const SCREENCAP = { command: 'screencap', args: ['-p'] };

/**
 * Runs commands on devices — the one code path of the bridge (sync) and the workers (async jobs):
 * allow-list and argument checks, the device's state, the per-device lock, the quoted command line
 * with its exit-status trailer, the output cap and the timeout (the session is closed on either),
 * and an audit record of every outcome.
 */
export class AdbExecutor {
  private readonly logger = new Logger('AdbExecutor');

  constructor(
    private readonly host: AdbHost,
    private readonly lock: DeviceLock,
    readonly policy: CommandPolicy,
    private readonly audit: ExecutionAuditSink,
    private readonly limits: ExecutorLimits,
  ) {}

  /**
   * The refusals that need nothing from the device: allow-list, arguments, unknown or not-ready
   * device. Used before queueing an async job, so a bad request fails at once; audited as `rejected`.
   */
  async preflight(request: ExecuteCommand, actor: ExecutionActor): Promise<void> {
    const args = request.args ?? [];
    try {
      this.policy.check(request.command, args);
      await this.requireReady(request.serial);
    } catch (error) {
      await this.record(request, actor, { outcome: outcomeOf(error), errorCode: codeOf(error) });
      throw error;
    }
  }

  async execute(request: ExecuteCommand, actor: ExecutionActor): Promise<ExecuteResult> {
    const args = request.args ?? [];
    const timeoutMs = request.timeoutMs ?? this.limits.defaultTimeoutMs;
    let run: ShellRun | undefined;
    try {
      const line = this.policy.check(request.command, args);
      await this.requireReady(request.serial);
      run = await this.runLocked(request.serial, withExitStatus(line), timeoutMs, this.limits.maxOutputBytes + EXIT_TRAILER_MAX_BYTES);
      if (run.timedOut) throw commandTimeout(request.serial, timeoutMs);
      const base = { serial: request.serial, command: request.command, args };
      if (run.truncated) {
        const stdout = run.data.subarray(0, this.limits.maxOutputBytes);
        await this.record(request, actor, { outcome: 'truncated', durationMs: run.durationMs, bytesOut: stdout.length });
        return { ...base, exitCode: null, stdout: stdout.toString('utf8'), durationMs: run.durationMs, truncated: true };
      }
      const { stdout, exitCode } = splitExitStatus(run.data);
      if (exitCode === null) throw deviceFailure(request.serial, 'shell_ended', 'the shell session ended before the command finished');
      await this.record(request, actor, { outcome: 'completed', exitCode, durationMs: run.durationMs, bytesOut: stdout.length });
      return { ...base, exitCode, stdout: stdout.toString('utf8'), durationMs: run.durationMs };
    } catch (error) {
      await this.record(request, actor, { outcome: outcomeOf(error), errorCode: codeOf(error), durationMs: run?.durationMs, bytesOut: run?.data.length });
      throw error;
    }
  }

  /** `screencap -p` on the device, through the same checks, lock and audit as `execute`. */
  async screenshot(serial: string, actor: ExecutionActor): Promise<Buffer> {
    const request = { serial, ...SCREENCAP };
    let run: ShellRun | undefined;
    try {
      const line = this.policy.check(SCREENCAP.command, SCREENCAP.args);
      await this.requireReady(serial);
      const timeoutMs = this.limits.defaultTimeoutMs;
      run = await this.runLocked(serial, withExitStatus(line), timeoutMs, this.limits.maxScreenshotBytes + EXIT_TRAILER_MAX_BYTES);
      if (run.timedOut) throw commandTimeout(serial, timeoutMs);
      if (run.truncated) throw deviceFailure(serial, 'screenshot_too_large', `the screenshot is larger than ${this.limits.maxScreenshotBytes} bytes`);
      const { stdout, exitCode } = splitExitStatus(run.data);
      const png = repairPtyNewlines(stdout);
      if (exitCode !== 0 || !isPng(png)) throw deviceFailure(serial, 'screenshot_failed', `screencap did not produce a PNG (exit code ${exitCode ?? 'unknown'})`);
      await this.record(request, actor, { outcome: 'completed', exitCode, durationMs: run.durationMs, bytesOut: png.length });
      return png;
    } catch (error) {
      await this.record(request, actor, { outcome: outcomeOf(error), errorCode: codeOf(error), durationMs: run?.durationMs, bytesOut: run?.data.length });
      throw error;
    }
  }

  /**
   * A command of the service's own (getprop, dumpsys battery for the device list): locked like any
   * other, not policed by the allow-list, not audited. Text output; exit code null when cut off.
   */
  async readText(serial: string, command: string, args: string[], options: { timeoutMs: number; lockWaitMs: number }): Promise<{ stdout: string; exitCode: number | null }> {
    const run = await this.runLocked(serial, withExitStatus(buildCommandLine(command, args)), options.timeoutMs, this.limits.maxOutputBytes, options.lockWaitMs);
    if (run.timedOut) throw commandTimeout(serial, options.timeoutMs);
    const { stdout, exitCode } = splitExitStatus(run.data);
    return { stdout: stdout.toString('utf8'), exitCode: run.truncated ? null : exitCode };
  }

  /** The device's state as the adb server sees it now: 404 when it is not attached, 409 unless `device`. */
  async requireReady(serial: string): Promise<void> {
    let devices: { id: string; type: string }[];
    try {
      devices = await this.host.listDevices();
    } catch (error) {
      throw adbUnavailable((error as Error).message);
    }
    const device = devices.find((d) => d.id === serial);
    if (!device) throw deviceNotFound(serial);
    const state = toDeviceState(device.type);
    if (state !== 'device') throw deviceNotReady(serial, state);
  }

  private async runLocked(serial: string, line: string, timeoutMs: number, maxBytes: number, lockWaitMs = this.limits.lockWaitMs): Promise<ShellRun> {
    const queuedAt = performance.now();
    return this.lock.withLock(serial, { ttlMs: timeoutMs + LOCK_TTL_MARGIN_MS, waitMs: lockWaitMs }, () => {
      adbLockWait.observe((performance.now() - queuedAt) / 1000);
      return this.runShell(serial, line, timeoutMs, maxBytes);
    });
  }

  private async runShell(serial: string, line: string, timeoutMs: number, maxBytes: number): Promise<ShellRun> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const opening = Promise.resolve(this.host.getDevice(serial).shell(line));
    let timer: NodeJS.Timeout | undefined;
    let stream: Duplex;
    try {
      const first = await Promise.race([opening, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
      if (first === 'timeout') {
        // the session may still open: close it the moment it does
        opening.then((late) => late.destroy(), () => undefined);
        return { data: Buffer.alloc(0), truncated: false, timedOut: true, durationMs: elapsed() };
      }
      stream = first;
    } catch (error) {
      throw fromAdbFailure(error, serial);
    } finally {
      clearTimeout(timer);
    }
    try {
      const collected = await collectOutput(stream, { maxBytes, timeoutMs: timeoutMs - (performance.now() - started) });
      return { ...collected, durationMs: elapsed() };
    } catch (error) {
      throw fromAdbFailure(error, serial);
    }
  }

  private async record(
    request: ExecuteCommand,
    actor: ExecutionActor,
    result: { outcome: ExecutionOutcome; exitCode?: number | null; durationMs?: number; bytesOut?: number; errorCode?: string | null },
  ): Promise<void> {
    const command = this.policy.isAllowed(request.command) ? request.command : 'other';
    adbExecutionsTotal.inc({ command, outcome: result.outcome });
    if (result.durationMs !== undefined) adbExecutionDuration.observe({ command }, result.durationMs / 1000);
    const entry = {
      userId: actor.userId,
      credentialId: actor.credentialId,
      serial: request.serial,
      command: request.command.slice(0, 64),
      args: request.args ?? [],
      exitCode: result.exitCode ?? null,
      durationMs: result.durationMs ?? 0,
      bytesOut: result.bytesOut ?? 0,
      outcome: result.outcome,
      errorCode: result.errorCode ?? null,
      mode: actor.mode,
      jobId: actor.jobId ?? null,
    };
    try {
      await this.audit.record(entry);
    } catch (error) {
      // the command already ran: keep its trace in the log rather than fail the answer
      this.logger.error({ audit: entry, err: (error as Error).message }, 'could not write the adb audit record');
    }
  }
}

function outcomeOf(error: unknown): ExecutionOutcome {
  if (!(error instanceof ApiError)) return 'failed';
  if (error.code === 'device_busy') return 'busy';
  if (error.code === 'command_timeout') return 'timeout';
  const status = error.getStatus();
  return status >= 400 && status < 500 ? 'rejected' : 'failed';
}

function codeOf(error: unknown): string {
  return error instanceof ApiError ? error.code : 'internal_error';
}

import { ApiError } from '@ish/platform';
import type { DeviceState } from '@ish/contracts';

export function deviceNotFound(serial: string): ApiError {
  return ApiError.notFound(`No device ${serial} is attached to the adb server`, 'device_not_found');
}

export function deviceNotReady(serial: string, state: DeviceState): ApiError {
  return ApiError.conflict(`Device ${serial} is ${state}: it cannot take commands`, 'device_not_ready', [{ field: 'state', message: state }]);
}

export function adbUnavailable(reason: string): ApiError {
  return ApiError.unavailable(`The adb server is not reachable: ${reason}`, 'adb_unavailable');
}

export function commandTimeout(serial: string, timeoutMs: number): ApiError {
  return new ApiError(504, 'upstream_error', 'command_timeout', `The command on ${serial} did not finish within ${timeoutMs} ms and was stopped`, [
    { field: 'timeoutMs', message: `exceeded ${timeoutMs} ms` },
  ]);
}

export function deviceFailure(serial: string, code: string, message: string): ApiError {
  return new ApiError(502, 'upstream_error', code, `Device ${serial}: ${message}`);
}

/** What adb's own failures (FAIL replies, refused connections) mean for the client. */
export function fromAdbFailure(error: unknown, serial: string): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') return adbUnavailable(message);
  if (/not found|no devices|no such device/i.test(message)) return deviceNotFound(serial);
  if (/unauthorized/i.test(message)) return deviceNotReady(serial, 'unauthorized');
  if (/offline|connecting|authorizing/i.test(message)) return deviceNotReady(serial, 'offline');
  return deviceFailure(serial, 'adb_failed', message);
}

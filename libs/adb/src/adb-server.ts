import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

/**
 * The adb server's host protocol as this code uses it; adbkit's Client provides it (its Bluebird
 * promises are PromiseLike). Also the injection token for that client.
 */
export abstract class AdbServer {
  /** `host:version`: the server's protocol version (41 for adb 1.0.41) */
  abstract version(): PromiseLike<number>;
  /** `host:devices`: serial and adb state of each device */
  abstract listDevices(): PromiseLike<{ id: string; type: string }[]>;
  /** `host:track-devices`: emits `changeSet` on every change, `end`/`error` when the server goes */
  abstract trackDevices(): PromiseLike<EventEmitter & { end(): unknown }>;
  /** `host:connect:<host>:<port>`; rejects unless adb answered "connected to" */
  abstract connect(host: string, port: number): PromiseLike<string>;
  abstract disconnect(serial: string): PromiseLike<unknown>;
  /** `shell:<line>` on one device (shell protocol v1: merged stdout/stderr, no exit status) */
  abstract getDevice(serial: string): { shell(line: string): PromiseLike<Duplex> };
}

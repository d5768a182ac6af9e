// A simulated Android device: the DEVICE side (adbd) of the ADB transport protocol over TCP, so a
// real adb server can `adb connect 127.0.0.1:<port>` to it. It runs no command on the host: shell
// services are served by a small sh-compatible interpreter over a simulated device.
//
// Supported services: `shell:<cmd>` (v1: raw bytes, no exit status), `shell,v2[,raw|,pty][,TERM=…]:<cmd>`
// (shell protocol v2: stdout/stderr/exit packets), `exec:<cmd>`, an interactive shell when <cmd>
// is empty, and `reboot:` (recorded only). Any other service is refused with CLSE, as adbd does
// for a service it cannot open.
import { randomBytes, KeyObject } from 'node:crypto';
import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { parseAdbPublicKey, verifyAdbSignature } from './auth';
import { DeviceProfile, DeviceState } from './device-state';
import {
  A_AUTH,
  A_CLSE,
  A_CNXN,
  A_OKAY,
  A_OPEN,
  A_STLS,
  A_SYNC,
  A_VERSION,
  A_VERSION_MIN,
  A_VERSION_SKIP_CHECKSUM,
  A_WRTE,
  ADB_AUTH_RSAPUBLICKEY,
  ADB_AUTH_SIGNATURE,
  ADB_AUTH_TOKEN,
  AUTH_TOKEN_SIZE,
  AdbPacket,
  AdbProtocolError,
  DecodedPacket,
  MAX_PAYLOAD,
  MAX_PAYLOAD_V1,
  PacketDecoder,
  SHELL_HEADER_SIZE,
  SHELL_ID_CLOSE_STDIN,
  SHELL_ID_STDERR,
  SHELL_ID_STDIN,
  SHELL_ID_STDOUT,
  ShellPacketDecoder,
  encodePacket,
  encodeShellExit,
  encodeShellPacket,
} from './protocol';
import { SimulatedShell } from './shell-interpreter';
import { AbortedError, ShellIo, preciseNow, toBuffer } from './shell-runtime';

/**
 * - `device`: answers the host's CNXN at once (like a device with `ro.adb.secure=0`).
 * - `unauthorized`: challenges with AUTH TOKEN and never accepts (the RSA prompt is never
 *   confirmed); the connection stays open, so `adb devices` lists it as `unauthorized`.
 * - `auth`: challenges; accepts a signature made with a key it already trusts, and trusts a key
 *   the host offers with AUTH RSAPUBLICKEY (as if the user tapped "Allow").
 */
export type AdbDeviceMode = 'device' | 'unauthorized' | 'auth';

export interface AdbDeviceSimOptions {
  /** TCP port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  mode?: AdbDeviceMode;
  model?: string;
  product?: string;
  device?: string;
  manufacturer?: string;
  sdk?: number;
  release?: string;
  batteryLevel?: number;
  /** ro.serialno; default `ISHSIM<port>`. */
  serialno?: string;
  /** Each simulated command takes at least this long, to make overlapping shells observable. */
  commandDelayMs?: number;
  /** Features advertised in the CNXN banner. Default `shell_v2,cmd`. */
  features?: string[];
  /** Also serve GET /stats and POST /reset over HTTP on this port (0: pick one). Off by default. */
  controlPort?: number;
  screenWidth?: number;
  screenHeight?: number;
  /** Size of the PNG `screencap -p` returns. Default 64x128. */
  screenshotWidth?: number;
  screenshotHeight?: number;
}

export interface CommandRecord {
  /** Which shell session ran it (see `shells`). */
  shellId: number;
  argv: string[];
  /** Epoch milliseconds, sub-millisecond precision. */
  startedAt: number;
  /** null while the command is still running. */
  endedAt: number | null;
  exitCode: number | null;
}

export interface ShellRecord {
  id: number;
  /** The service as opened, e.g. `shell,v2,raw:getprop ro.product.model`. */
  service: string;
  command: string;
  protocol: 'v1' | 'v2';
  startedAt: number;
  endedAt: number | null;
  /** null while running, or when the host closed the stream first. */
  exitCode: number | null;
}

export interface AdbDeviceSimStats {
  /** TCP connections accepted. */
  connections: number;
  activeConnections: number;
  /** Shell / exec sessions started. */
  shellsStarted: number;
  activeShells: number;
  /** Most shell sessions that ran at the same time on this device. */
  maxConcurrentShells: number;
  /** Every simple command the shells ran (known or not), in start order. */
  commands: CommandRecord[];
  shells: ShellRecord[];
  /** Every service the host opened, in order (including refused ones). */
  services: string[];
  /** Services refused with CLSE. */
  refusedServices: string[];
  /** Times `reboot` was run (shell command or `reboot:` service). The device does not go away. */
  reboots: number;
  /** AUTH SIGNATURE / RSAPUBLICKEY messages received. */
  authSignatures: number;
  authPublicKeys: number;
}

export interface AdbDeviceSim {
  readonly port: number;
  readonly host: string;
  /** The serial the adb server gives the device after `adb connect host:port`. */
  readonly serial: string;
  readonly mode: AdbDeviceMode;
  /** Port of the HTTP control server, when `controlPort` was given. */
  readonly controlPort: number | undefined;
  /** The simulated device (props, settings, files written by the shell). */
  readonly state: DeviceState;
  stats(): AdbDeviceSimStats;
  resetStats(): void;
  close(): Promise<void>;
}

const DEFAULT_FEATURES = ['shell_v2', 'cmd'];

interface ShellService {
  kind: 'shell';
  protocol: 'v1' | 'v2';
  pty: boolean;
  command: string;
}

type Service = ShellService | { kind: 'reboot'; arg: string };

/** Parses a service name the way adbd does for the services the simulator offers. */
export function parseService(name: string): Service | undefined {
  if (name.startsWith('exec:')) return { kind: 'shell', protocol: 'v1', pty: false, command: name.slice(5) };
  if (name.startsWith('reboot:')) return { kind: 'reboot', arg: name.slice(7) };
  const match = /^shell(,[^:]*)?(?::([\s\S]*))?$/.exec(name);
  if (!match) return undefined;
  const args = (match[1] ?? '').split(',').filter(Boolean);
  const command = match[2] ?? '';
  let pty = command === ''; // adbd: an interactive shell gets a pty unless told otherwise
  if (args.includes('raw')) pty = false;
  if (args.includes('pty')) pty = true;
  return { kind: 'shell', protocol: args.includes('v2') ? 'v2' : 'v1', pty, command };
}

class SimStats {
  connections = 0;
  activeConnections = 0;
  shellsStarted = 0;
  activeShells = 0;
  maxConcurrentShells = 0;
  commands: CommandRecord[] = [];
  shells: ShellRecord[] = [];
  services: string[] = [];
  refusedServices: string[] = [];
  reboots = 0;
  authSignatures = 0;
  authPublicKeys = 0;
  private nextShellId = 1;

  startShell(service: string, shell: ShellService): ShellRecord {
    this.shellsStarted++;
    this.activeShells++;
    this.maxConcurrentShells = Math.max(this.maxConcurrentShells, this.activeShells);
    const record: ShellRecord = { id: this.nextShellId++, service, command: shell.command, protocol: shell.protocol, startedAt: preciseNow(), endedAt: null, exitCode: null };
    this.shells.push(record);
    return record;
  }

  endShell(record: ShellRecord, exitCode: number | null): void {
    this.activeShells--;
    record.endedAt = preciseNow();
    record.exitCode = exitCode;
  }

  startCommand(shellId: number, argv: string[]): (exitCode: number) => void {
    const record: CommandRecord = { shellId, argv: [...argv], startedAt: preciseNow(), endedAt: null, exitCode: null };
    this.commands.push(record);
    if (argv[0] === 'reboot' || argv[0] === '/system/bin/reboot') this.reboots++;
    return (exitCode) => {
      record.endedAt = preciseNow();
      record.exitCode = exitCode;
    };
  }

  snapshot(): AdbDeviceSimStats {
    return {
      connections: this.connections,
      activeConnections: this.activeConnections,
      shellsStarted: this.shellsStarted,
      activeShells: this.activeShells,
      maxConcurrentShells: this.maxConcurrentShells,
      commands: this.commands.map((record) => ({ ...record, argv: [...record.argv] })),
      shells: this.shells.map((record) => ({ ...record })),
      services: [...this.services],
      refusedServices: [...this.refusedServices],
      reboots: this.reboots,
      authSignatures: this.authSignatures,
      authPublicKeys: this.authPublicKeys,
    };
  }

  reset(): void {
    this.connections = this.activeConnections;
    this.shellsStarted = 0;
    this.maxConcurrentShells = this.activeShells;
    this.commands = [];
    this.shells = [];
    this.services = [];
    this.refusedServices = [];
    this.reboots = 0;
    this.authSignatures = 0;
    this.authPublicKeys = 0;
  }
}

interface SimContext {
  mode: AdbDeviceMode;
  banner: string;
  device: DeviceState;
  stats: SimStats;
  commandDelayMs: number;
  trustedKeys: KeyObject[];
}

/** One stream (a service the host opened), with adb's one-WRTE-in-flight flow control. */
class DeviceStream {
  closed = false;
  readonly abort = new AbortController();
  onInput: ((data: Buffer) => void) | undefined;
  private canWrite = true; // an OPEN implies a READY
  private readonly queue: Buffer[] = [];
  private pumping = false;
  private drainWaiters: (() => void)[] = [];
  private okayWaiter: (() => void) | undefined;

  constructor(
    readonly localId: number,
    readonly remoteId: number,
    private readonly conn: DeviceConnection,
  ) {}

  get maxPayload(): number {
    return this.conn.maxPayload;
  }

  /** Queues bytes for the host; items are sent whole, several per WRTE when they fit. */
  enqueue(data: Buffer): void {
    if (this.closed || data.length === 0) return;
    const max = this.conn.maxPayload;
    for (let at = 0; at < data.length; at += max) this.queue.push(data.subarray(at, at + max));
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        if (!this.canWrite) await new Promise<void>((resolve) => (this.okayWaiter = resolve));
        if (this.closed) break;
        const parts: Buffer[] = [this.queue.shift()!];
        let size = parts[0].length;
        while (this.queue.length > 0 && size + this.queue[0].length <= this.conn.maxPayload) {
          size += this.queue[0].length;
          parts.push(this.queue.shift()!);
        }
        this.canWrite = false;
        this.conn.send({ command: A_WRTE, arg0: this.localId, arg1: this.remoteId, data: Buffer.concat(parts) });
      }
    } finally {
      this.pumping = false;
    }
    if (this.queue.length === 0 || this.closed) this.notifyDrained();
  }

  private notifyDrained(): void {
    if (!this.closed && !this.canWrite) return; // wait for the last WRTE's OKAY
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Resolves once everything queued was sent and acknowledged (or the stream closed). */
  drain(): Promise<void> {
    if (this.closed || (this.queue.length === 0 && this.canWrite && !this.pumping)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** The host's OKAY for our last WRTE. */
  ready(): void {
    this.canWrite = true;
    const waiter = this.okayWaiter;
    this.okayWaiter = undefined;
    waiter?.();
    if (this.queue.length === 0 && !this.pumping) this.notifyDrained();
  }

  /** Closes from our side: CLSE(local, remote). */
  close(): void {
    if (this.closed) return;
    this.conn.send({ command: A_CLSE, arg0: this.localId, arg1: this.remoteId, data: Buffer.alloc(0) });
    this.teardown();
  }

  /** The host closed the stream (or the connection went away). */
  teardown(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.conn.forget(this.localId);
    this.abort.abort();
    this.okayWaiter?.();
    this.okayWaiter = undefined;
    this.notifyDrained();
  }
}

class DeviceConnection {
  /** Largest payload we may send: min(ours, the host's), known after its CNXN. */
  maxPayload = MAX_PAYLOAD_V1;
  private version = A_VERSION_MIN;
  private state: 'awaiting-connect' | 'authenticating' | 'online' = 'awaiting-connect';
  private token = Buffer.alloc(0);
  private readonly decoder = new PacketDecoder();
  private readonly streams = new Map<number, DeviceStream>();
  private nextLocalId = 1;

  constructor(
    private readonly socket: Socket,
    private readonly sim: SimContext,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let packets: DecodedPacket[];
      try {
        packets = this.decoder.push(chunk);
      } catch (error) {
        if (error instanceof AdbProtocolError) {
          socket.destroy();
          return;
        }
        throw error;
      }
      for (const packet of packets) this.handle(packet);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      for (const stream of [...this.streams.values()]) stream.teardown();
    });
  }

  send(packet: AdbPacket): void {
    if (this.socket.destroyed) return;
    this.socket.write(encodePacket(packet, { checksum: this.version < A_VERSION_SKIP_CHECKSUM }));
  }

  forget(localId: number): void {
    this.streams.delete(localId);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private sendConnect(): void {
    this.state = 'online';
    this.send({ command: A_CNXN, arg0: A_VERSION, arg1: MAX_PAYLOAD, data: Buffer.from(this.sim.banner) });
  }

  private sendAuthToken(): void {
    this.token = randomBytes(AUTH_TOKEN_SIZE);
    this.send({ command: A_AUTH, arg0: ADB_AUTH_TOKEN, arg1: 0, data: this.token });
  }

  private handle(packet: DecodedPacket): void {
    switch (packet.command) {
      case A_CNXN:
        return this.onConnect(packet);
      case A_AUTH:
        return this.onAuth(packet);
      case A_STLS:
      case A_SYNC:
        return; // never requested / obsolete
      case A_OPEN:
      case A_OKAY:
      case A_WRTE:
      case A_CLSE:
        if (this.state === 'online') this.onStreamPacket(packet);
        return;
      default:
        // "an unrecognized command MUST result in the closing of the remote connection"
        this.socket.destroy();
    }
  }

  private onConnect(packet: DecodedPacket): void {
    for (const stream of [...this.streams.values()]) stream.teardown();
    this.version = Math.min(A_VERSION, packet.arg0 >>> 0);
    this.maxPayload = Math.max(MAX_PAYLOAD_V1, Math.min(MAX_PAYLOAD, packet.arg1 >>> 0));
    if (this.sim.mode === 'device') this.sendConnect();
    else {
      this.state = 'authenticating';
      this.sendAuthToken();
    }
  }

  private onAuth(packet: DecodedPacket): void {
    if (this.state !== 'authenticating') return;
    if (packet.arg0 === ADB_AUTH_SIGNATURE) {
      this.sim.stats.authSignatures++;
      const accepted = this.sim.mode === 'auth' && this.sim.trustedKeys.some((key) => verifyAdbSignature(key, this.token, packet.data));
      if (accepted) this.sendConnect();
      else this.sendAuthToken(); // "try your next key"
    } else if (packet.arg0 === ADB_AUTH_RSAPUBLICKEY) {
      this.sim.stats.authPublicKeys++;
      if (this.sim.mode !== 'auth') return; // the prompt on the device is never confirmed
      const key = parseAdbPublicKey(packet.data);
      if (key) {
        this.sim.trustedKeys.push(key);
        this.sendConnect();
      }
    }
  }

  private onStreamPacket(packet: DecodedPacket): void {
    const { command, arg0, arg1 } = packet;
    if (command === A_OPEN) {
      if (arg0 === 0) return;
      this.open(arg0, packet.data.toString('utf8').replace(/\0+$/, ''));
      return;
    }
    const stream = this.streams.get(arg1);
    if (!stream || stream.remoteId !== arg0) return; // stale: ignore, as the protocol says
    if (command === A_OKAY) stream.ready();
    else if (command === A_WRTE) {
      this.send({ command: A_OKAY, arg0: stream.localId, arg1: stream.remoteId, data: Buffer.alloc(0) });
      stream.onInput?.(packet.data);
    } else if (command === A_CLSE) stream.teardown();
  }

  private open(remoteId: number, name: string): void {
    const { stats } = this.sim;
    stats.services.push(name);
    const service = parseService(name);
    if (!service) {
      stats.refusedServices.push(name);
      this.send({ command: A_CLSE, arg0: 0, arg1: remoteId, data: Buffer.alloc(0) });
      return;
    }
    const stream = new DeviceStream(this.nextLocalId++, remoteId, this);
    this.streams.set(stream.localId, stream);
    this.send({ command: A_OKAY, arg0: stream.localId, arg1: remoteId, data: Buffer.alloc(0) });
    if (service.kind === 'reboot') {
      stats.reboots++;
      stream.close();
      return;
    }
    void runShellSession(stream, name, service, this.sim).catch((error: unknown) => {
      console.error(`adb-device-sim: ${name}: ${error instanceof Error ? error.stack : String(error)}`);
      stream.close();
    });
  }
}

/** Interactive input: complete lines, in order, and the end of input. */
class LineReader {
  private buffer = '';
  private readonly lines: string[] = [];
  private ended = false;
  private waiter: (() => void) | undefined;

  constructor(private readonly echo: ((text: string) => void) | undefined) {}

  push(data: Buffer): void {
    for (const c of data.toString('utf8')) {
      if (c === '\r' || c === '\n') {
        if (c === '\n' && this.echo === undefined) this.lines.push(this.buffer);
        else if (c === '\r' || this.echo !== undefined) {
          this.echo?.('\r\n');
          this.lines.push(this.buffer);
        }
        this.buffer = '';
      } else if (this.echo !== undefined && (c === '\x7f' || c === '\b')) {
        if (this.buffer.length > 0) {
          this.buffer = this.buffer.slice(0, -1);
          this.echo('\b \b');
        }
      } else if (this.echo !== undefined && c === '\x03') {
        this.buffer = '';
        this.echo('^C\r\n');
        this.lines.push('');
      } else if (c === '\x04' && this.buffer === '') {
        this.end();
      } else {
        this.buffer += c;
        this.echo?.(c);
      }
    }
    this.wake();
  }

  end(): void {
    if (this.buffer !== '' && this.echo === undefined) this.lines.push(this.buffer);
    this.buffer = '';
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** The next line, or undefined at the end of input. */
  async next(signal: AbortSignal): Promise<string | undefined> {
    while (this.lines.length === 0 && !this.ended) {
      if (signal.aborted) throw new AbortedError();
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return this.lines.shift();
  }
}

async function runShellSession(stream: DeviceStream, name: string, service: ShellService, sim: SimContext): Promise<void> {
  const record = sim.stats.startShell(name, service);
  let exitCode: number | null = null;
  const signal = stream.abort.signal;
  const emit = (id: number, data: string | Buffer): void => {
    let bytes = toBuffer(data);
    if (service.pty) bytes = Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'); // onlcr
    if (bytes.length === 0) return;
    if (service.protocol === 'v1') {
      stream.enqueue(bytes); // stdout and stderr share the socket
      return;
    }
    const max = Math.max(1, stream.maxPayload - SHELL_HEADER_SIZE); // keep each shell packet inside one WRTE
    for (let at = 0; at < bytes.length; at += max) stream.enqueue(encodeShellPacket(id, bytes.subarray(at, at + max)));
  };
  const io: ShellIo = { stdin: Buffer.alloc(0), stdout: (data) => emit(SHELL_ID_STDOUT, data), stderr: (data) => emit(service.pty ? SHELL_ID_STDOUT : SHELL_ID_STDERR, data) };
  const shell = new SimulatedShell({
    device: sim.device,
    signal,
    commandDelayMs: sim.commandDelayMs,
    onCommand: (argv) => sim.stats.startCommand(record.id, argv),
  });
  try {
    if (service.command !== '') {
      stream.onInput = () => undefined; // stdin is not read by the simulated commands
      exitCode = await shell.run(service.command, io);
    } else {
      exitCode = await runInteractive(stream, service, shell, io, sim);
    }
    if (service.protocol === 'v2') stream.enqueue(encodeShellExit(exitCode));
    await stream.drain();
    stream.close();
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    exitCode = null;
  } finally {
    sim.stats.endShell(record, exitCode);
  }
}

async function runInteractive(stream: DeviceStream, service: ShellService, shell: SimulatedShell, io: ShellIo, sim: SimContext): Promise<number> {
  const prompt = (): string => `${sim.device.profile.device}:${shell.cwd} $ `;
  const reader = new LineReader(service.pty ? (text) => io.stdout(text) : undefined);
  if (service.protocol === 'v2') {
    const decoder = new ShellPacketDecoder();
    stream.onInput = (data) => {
      for (const packet of decoder.push(data)) {
        if (packet.id === SHELL_ID_STDIN) reader.push(packet.data);
        else if (packet.id === SHELL_ID_CLOSE_STDIN) reader.end();
      }
    };
  } else {
    stream.onInput = (data) => reader.push(data);
  }
  if (service.pty) io.stdout(prompt());
  for (;;) {
    const line = await reader.next(stream.abort.signal);
    if (line === undefined) return shell.lastStatus;
    if (line.trim() !== '') {
      const status = await shell.run(line, io);
      if (shell.exitRequested) return status;
    }
    if (service.pty) io.stdout(prompt());
  }
}

function buildBanner(profile: DeviceProfile, features: string[]): string {
  const clean = (value: string): string => value.replace(/[;:=]/g, '_');
  return `device::ro.product.name=${clean(profile.product)};ro.product.model=${clean(profile.model)};ro.product.device=${clean(profile.device)};features=${features.join(',')}`;
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startAdbDeviceSim(options: AdbDeviceSimOptions = {}): Promise<AdbDeviceSim> {
  const host = options.host ?? '127.0.0.1';
  const mode = options.mode ?? 'device';
  const stats = new SimStats();
  const connections = new Set<DeviceConnection>();
  // the context is completed once the port is known (the default serial number includes it)
  const context = { mode, stats, commandDelayMs: options.commandDelayMs ?? 0, trustedKeys: [] as KeyObject[] } as SimContext;
  const server = createServer((socket) => {
    if (!context.device) {
      socket.destroy();
      return;
    }
    stats.connections++;
    stats.activeConnections++;
    const connection = new DeviceConnection(socket, context);
    connections.add(connection);
    socket.on('close', () => {
      stats.activeConnections--;
      connections.delete(connection);
    });
  });
  const port = await listen(server, options.port ?? 0, host);

  const profile: DeviceProfile = {
    model: options.model ?? 'ISH Sim Pixel',
    product: options.product ?? 'ish_sim',
    device: options.device ?? 'ishsim',
    manufacturer: options.manufacturer ?? 'ISH',
    sdk: options.sdk ?? 34,
    release: options.release ?? '14',
    serialno: options.serialno ?? `ISHSIM${port}`,
    batteryLevel: options.batteryLevel ?? 87,
    screenWidth: options.screenWidth ?? 1080,
    screenHeight: options.screenHeight ?? 2400,
    screenshotWidth: options.screenshotWidth ?? 64,
    screenshotHeight: options.screenshotHeight ?? 128,
  };
  context.device = new DeviceState(profile);
  context.banner = buildBanner(profile, options.features ?? DEFAULT_FEATURES);

  let control: HttpServer | undefined;
  let controlPort: number | undefined;
  if (options.controlPort !== undefined) {
    control = createHttpServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ serial: `${host}:${port}`, mode, ...stats.snapshot() }));
      } else if (req.method === 'POST' && path === '/reset') {
        stats.reset();
        res.writeHead(204);
        res.end();
      } else if (req.method === 'GET' && path === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, serial: `${host}:${port}` }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found', routes: ['GET /stats', 'POST /reset', 'GET /health'] }));
      }
    });
    try {
      controlPort = await listen(control, options.controlPort, host);
    } catch (error) {
      await closeServer(server);
      throw error;
    }
  }

  let closing: Promise<void> | undefined;
  return {
    port,
    host,
    serial: `${host}:${port}`,
    mode,
    controlPort,
    state: context.device,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: () => {
      closing ??= (async () => {
        const done = [closeServer(server), control ? closeServer(control) : Promise.resolve()];
        for (const connection of connections) connection.destroy();
        control?.closeAllConnections();
        await Promise.all(done);
      })();
      return closing;
    },
  };
}

// A minimal HOST side of the ADB transport protocol, speaking straight to a device over TCP
// (no adb server in between). The simulator's own tests use it to check the wire protocol
// exactly — handshake, auth, flow control — and it is handy for poking at a sim by hand.
import { connect, Socket } from 'node:net';
import {
  A_CNXN,
  A_OKAY,
  A_OPEN,
  A_VERSION,
  A_WRTE,
  AdbPacket,
  DecodedPacket,
  MAX_PAYLOAD,
  PacketDecoder,
  SHELL_ID_EXIT,
  SHELL_ID_STDERR,
  SHELL_ID_STDOUT,
  ShellPacketDecoder,
  encodePacket,
} from './protocol';

export interface HostClientOptions {
  /** If set, OKAYs for the device's WRTEs are sent only after this many ms (to test flow control). */
  ackDelayMs?: number;
  /** Fill data_check (default true; a real host at version >= 0x01000001 sends 0). */
  checksum?: boolean;
}

export class TestHostClient {
  /** Every packet the device sent, in order. */
  readonly received: DecodedPacket[] = [];
  /** Received packets no `next()` has taken yet. */
  private readonly unclaimed: DecodedPacket[] = [];
  private readonly decoder = new PacketDecoder();
  private waiters: { match: (p: DecodedPacket) => boolean; resolve: (p: DecodedPacket) => void }[] = [];
  private closedWaiters: (() => void)[] = [];
  closed = false;
  private nextId = 100;

  private constructor(
    readonly socket: Socket,
    private readonly options: HostClientOptions,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const packet of this.decoder.push(chunk)) {
        this.received.push(packet);
        const index = this.waiters.findIndex((w) => w.match(packet));
        if (index >= 0) this.waiters.splice(index, 1)[0].resolve(packet);
        else this.unclaimed.push(packet);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const waiter of this.closedWaiters) waiter();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1', options: HostClientOptions = {}): Promise<TestHostClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new TestHostClient(socket, options)));
      socket.once('error', reject);
    });
  }

  send(packet: AdbPacket): void {
    this.socket.write(encodePacket(packet, { checksum: this.options.checksum ?? true }));
  }

  /** The next packet (already received and not yet taken, or future) that matches. */
  next(match: (p: DecodedPacket) => boolean = () => true, timeoutMs = 5000): Promise<DecodedPacket> {
    const index = this.unclaimed.findIndex(match);
    if (index >= 0) return Promise.resolve(this.unclaimed.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (p: DecodedPacket): void => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('timed out waiting for a packet'));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  /** Sends the host CNXN; returns the device's first answer (CNXN or AUTH). */
  async handshake(version = A_VERSION, maxPayload = MAX_PAYLOAD): Promise<DecodedPacket> {
    const answer = this.next();
    this.send({ command: A_CNXN, arg0: version, arg1: maxPayload, data: Buffer.from('host::features=shell_v2,cmd\0') });
    return answer;
  }

  /**
   * Opens a service and collects everything the device writes until it closes the stream.
   * Tracks flow control: `violations` counts WRTEs that arrived while one was still unacknowledged.
   */
  async openAndCollect(service: string): Promise<{ localId: number; remoteId: number; data: Buffer; wrtes: number; violations: number; closedBy: 'device' | 'refused' }> {
    const localId = this.nextId++;
    const chunks: Buffer[] = [];
    let remoteId = 0;
    let wrtes = 0;
    let violations = 0;
    let unacked = false;
    return new Promise((resolve, reject) => {
      const handle = (p: DecodedPacket): boolean => p.arg1 === localId;
      const loop = async (): Promise<void> => {
        for (;;) {
          const p = await this.next(handle, 30_000);
          if (p.command === A_OKAY) {
            remoteId = p.arg0;
          } else if (p.command === A_WRTE) {
            wrtes++;
            if (unacked) violations++;
            unacked = true;
            chunks.push(p.data);
            const ack = (): void => {
              unacked = false;
              this.send({ command: A_OKAY, arg0: localId, arg1: p.arg0, data: Buffer.alloc(0) });
            };
            if (this.options.ackDelayMs) setTimeout(ack, this.options.ackDelayMs);
            else ack();
          } else {
            resolve({ localId, remoteId, data: Buffer.concat(chunks), wrtes, violations, closedBy: p.arg0 === 0 ? 'refused' : 'device' });
            return;
          }
        }
      };
      loop().catch(reject);
      this.send({ command: A_OPEN, arg0: localId, arg1: 0, data: Buffer.from(`${service}\0`) });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Splits a shell-protocol v2 byte stream into stdout, stderr and the exit status. */
export function splitShellV2(data: Buffer): { stdout: Buffer; stderr: Buffer; exitCode: number | undefined } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let exitCode: number | undefined;
  for (const packet of new ShellPacketDecoder().push(data)) {
    if (packet.id === SHELL_ID_STDOUT) stdout.push(packet.data);
    else if (packet.id === SHELL_ID_STDERR) stderr.push(packet.data);
    else if (packet.id === SHELL_ID_EXIT) exitCode = packet.data[0];
  }
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitCode };
}

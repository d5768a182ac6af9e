// The ADB transport ("apacket") codec, as the device side (adbd) speaks it over TCP.
//
// A message is a 24-byte little-endian header — command, arg0, arg1, data_length, data_check,
// magic (= command ^ 0xffffffff) — followed by data_length bytes of payload. data_check is the
// byte sum of the payload ("crc32" in the old docs); peers that negotiated a version
// >= A_VERSION_SKIP_CHECKSUM send 0 there and nobody validates it on receipt.

export const A_SYNC = 0x434e5953;
export const A_CNXN = 0x4e584e43;
export const A_AUTH = 0x48545541;
export const A_OPEN = 0x4e45504f;
export const A_OKAY = 0x59414b4f;
export const A_CLSE = 0x45534c43;
export const A_WRTE = 0x45545257;
export const A_STLS = 0x534c5453;

export const A_VERSION_MIN = 0x01000000;
export const A_VERSION_SKIP_CHECKSUM = 0x01000001;
/** The version this device advertises. */
export const A_VERSION = A_VERSION_SKIP_CHECKSUM;

/** Before the CNXN exchange neither side knows the other's limit; old peers hard-code 4096. */
export const MAX_PAYLOAD_V1 = 4096;
/** What this device advertises in its CNXN and accepts in one message. */
export const MAX_PAYLOAD = 256 * 1024;
/** Hard limit for a message the decoder accepts at all (newer hosts advertise 1 MiB). */
export const MAX_ACCEPTED_PAYLOAD = 1024 * 1024;

export const ADB_AUTH_TOKEN = 1;
export const ADB_AUTH_SIGNATURE = 2;
export const ADB_AUTH_RSAPUBLICKEY = 3;
/** adbd's token is 20 random bytes (the size of a SHA-1 digest, which is what the host signs). */
export const AUTH_TOKEN_SIZE = 20;

export const HEADER_SIZE = 24;

export interface AdbPacket {
  command: number;
  arg0: number;
  arg1: number;
  data: Buffer;
}

export interface DecodedPacket extends AdbPacket {
  /** The data_check field as received (not validated, as in adbd). */
  dataCheck: number;
}

const NAMES: Record<number, string> = {
  [A_SYNC]: 'SYNC',
  [A_CNXN]: 'CNXN',
  [A_AUTH]: 'AUTH',
  [A_OPEN]: 'OPEN',
  [A_OKAY]: 'OKAY',
  [A_CLSE]: 'CLSE',
  [A_WRTE]: 'WRTE',
  [A_STLS]: 'STLS',
};

export function commandName(command: number): string {
  return NAMES[command] ?? `0x${(command >>> 0).toString(16).padStart(8, '0')}`;
}

/** The additive checksum adb calls data_check: the sum of the payload's bytes, modulo 2^32. */
export function payloadChecksum(data: Buffer): number {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) >>> 0;
  return sum;
}

export interface EncodeOptions {
  /** Fill data_check with the byte sum (needed by peers older than A_VERSION_SKIP_CHECKSUM). Default true. */
  checksum?: boolean;
}

export function encodePacket(packet: AdbPacket, options: EncodeOptions = {}): Buffer {
  const { command, arg0, arg1, data } = packet;
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32LE(command >>> 0, 0);
  header.writeUInt32LE(arg0 >>> 0, 4);
  header.writeUInt32LE(arg1 >>> 0, 8);
  header.writeUInt32LE(data.length, 12);
  header.writeUInt32LE(options.checksum === false ? 0 : payloadChecksum(data), 16);
  header.writeUInt32LE((command ^ 0xffffffff) >>> 0, 20);
  return data.length === 0 ? header : Buffer.concat([header, data]);
}

export class AdbProtocolError extends Error {}

/**
 * Incremental decoder: feed it whatever the socket delivers, get back whole packets.
 * Throws AdbProtocolError on a bad magic or an oversized payload; the protocol says the
 * connection must then be closed, since the stream can no longer be trusted.
 */
export class PacketDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload = MAX_ACCEPTED_PAYLOAD) {}

  push(chunk: Buffer): DecodedPacket[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const packets: DecodedPacket[] = [];
    for (;;) {
      if (this.buffer.length < HEADER_SIZE) break;
      const command = this.buffer.readUInt32LE(0);
      const magic = this.buffer.readUInt32LE(20);
      if (((command ^ 0xffffffff) >>> 0) !== magic) {
        throw new AdbProtocolError(`bad magic 0x${magic.toString(16)} for command ${commandName(command)}`);
      }
      const length = this.buffer.readUInt32LE(12);
      if (length > this.maxPayload) {
        throw new AdbProtocolError(`payload of ${length} bytes exceeds the limit of ${this.maxPayload}`);
      }
      if (this.buffer.length < HEADER_SIZE + length) break;
      packets.push({
        command,
        arg0: this.buffer.readUInt32LE(4),
        arg1: this.buffer.readUInt32LE(8),
        dataCheck: this.buffer.readUInt32LE(16),
        data: Buffer.from(this.buffer.subarray(HEADER_SIZE, HEADER_SIZE + length)),
      });
      this.buffer = this.buffer.subarray(HEADER_SIZE + length);
    }
    return packets;
  }

  /** Bytes received that do not yet make a whole packet. */
  get pending(): number {
    return this.buffer.length;
  }
}

// --- shell protocol v2 (shell_v2 feature): [id: u8][length: u32 LE][data] ---------------------

export const SHELL_ID_STDIN = 0;
export const SHELL_ID_STDOUT = 1;
export const SHELL_ID_STDERR = 2;
export const SHELL_ID_EXIT = 3;
export const SHELL_ID_CLOSE_STDIN = 4;
export const SHELL_ID_WINDOW_SIZE_CHANGE = 5;
export const SHELL_HEADER_SIZE = 5;

export interface ShellPacket {
  id: number;
  data: Buffer;
}

export function encodeShellPacket(id: number, data: Buffer): Buffer {
  const header = Buffer.alloc(SHELL_HEADER_SIZE);
  header.writeUInt8(id, 0);
  header.writeUInt32LE(data.length, 1);
  return Buffer.concat([header, data]);
}

/** The exit packet carries the status as a single byte. */
export function encodeShellExit(code: number): Buffer {
  return encodeShellPacket(SHELL_ID_EXIT, Buffer.from([code & 0xff]));
}

/** Shell protocol packets may be split across (or packed into) WRTE messages: reassemble them. */
export class ShellPacketDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ShellPacket[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const packets: ShellPacket[] = [];
    while (this.buffer.length >= SHELL_HEADER_SIZE) {
      const length = this.buffer.readUInt32LE(1);
      if (this.buffer.length < SHELL_HEADER_SIZE + length) break;
      packets.push({
        id: this.buffer.readUInt8(0),
        data: Buffer.from(this.buffer.subarray(SHELL_HEADER_SIZE, SHELL_HEADER_SIZE + length)),
      });
      this.buffer = this.buffer.subarray(SHELL_HEADER_SIZE + length);
    }
    return packets;
  }
}

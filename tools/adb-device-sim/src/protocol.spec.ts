import {
  A_AUTH,
  A_CLSE,
  A_CNXN,
  A_OKAY,
  A_OPEN,
  A_STLS,
  A_SYNC,
  A_WRTE,
  AdbProtocolError,
  HEADER_SIZE,
  PacketDecoder,
  SHELL_ID_EXIT,
  SHELL_ID_STDERR,
  SHELL_ID_STDOUT,
  ShellPacketDecoder,
  commandName,
  encodePacket,
  encodeShellExit,
  encodeShellPacket,
  payloadChecksum,
} from './protocol';

describe('ADB packet codec', () => {
  it('has the command constants as the ASCII of their names, little-endian', () => {
    const ascii = (name: string): number => Buffer.from(name, 'ascii').readUInt32LE(0);
    expect([A_SYNC, A_CNXN, A_AUTH, A_OPEN, A_OKAY, A_CLSE, A_WRTE, A_STLS]).toEqual(['SYNC', 'CNXN', 'AUTH', 'OPEN', 'OKAY', 'CLSE', 'WRTE', 'STLS'].map(ascii));
    expect(commandName(A_WRTE)).toBe('WRTE');
    expect(commandName(0x12345678)).toBe('0x12345678');
  });

  it("encodes a host CNXN byte for byte as adb does (version 0x01000000, checksum = byte sum)", () => {
    const packet = encodePacket({ command: A_CNXN, arg0: 0x01000000, arg1: 4096, data: Buffer.from('host::\0') });
    const expected = Buffer.concat([
      Buffer.from('CNXN', 'ascii'),
      Buffer.from([0x00, 0x00, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x32, 0x02, 0x00, 0x00, 0xbc, 0xb1, 0xa7, 0xb1]),
      Buffer.from('host::\0', 'ascii'),
    ]);
    expect(packet.equals(expected)).toBe(true);
  });

  it('writes 0 as data_check when asked (version >= 0x01000001) and magic = command ^ 0xffffffff', () => {
    const packet = encodePacket({ command: A_WRTE, arg0: 1, arg1: 2, data: Buffer.from('hi') }, { checksum: false });
    expect(packet.length).toBe(HEADER_SIZE + 2);
    expect(packet.readUInt32LE(12)).toBe(2);
    expect(packet.readUInt32LE(16)).toBe(0);
    expect(packet.readUInt32LE(20)).toBe((A_WRTE ^ 0xffffffff) >>> 0);
  });

  it('sums bytes modulo 2^32', () => {
    expect(payloadChecksum(Buffer.from([1, 2, 255]))).toBe(258);
    expect(payloadChecksum(Buffer.alloc(0))).toBe(0);
  });

  it('decodes packets split at any byte and several packets in one chunk', () => {
    const a = encodePacket({ command: A_OPEN, arg0: 7, arg1: 0, data: Buffer.from('shell:ls\0') });
    const b = encodePacket({ command: A_OKAY, arg0: 1, arg1: 7, data: Buffer.alloc(0) });
    const c = encodePacket({ command: A_WRTE, arg0: 1, arg1: 7, data: Buffer.alloc(5000, 0x61) });
    const stream = Buffer.concat([a, b, c]);
    for (const step of [1, 3, 24, 25, 1000, stream.length]) {
      const decoder = new PacketDecoder();
      const packets = [];
      for (let at = 0; at < stream.length; at += step) packets.push(...decoder.push(stream.subarray(at, at + step)));
      expect(packets.map((p) => [p.command, p.arg0, p.arg1, p.data.length])).toEqual([
        [A_OPEN, 7, 0, 9],
        [A_OKAY, 1, 7, 0],
        [A_WRTE, 1, 7, 5000],
      ]);
      expect(packets[0].data.toString()).toBe('shell:ls\0');
      expect(packets[0].dataCheck).toBe(payloadChecksum(Buffer.from('shell:ls\0')));
      expect(decoder.pending).toBe(0);
    }
  });

  it('rejects a bad magic and an oversized payload', () => {
    const bad = encodePacket({ command: A_OKAY, arg0: 1, arg1: 2, data: Buffer.alloc(0) });
    bad.writeUInt32LE(0, 20);
    expect(() => new PacketDecoder().push(bad)).toThrow(AdbProtocolError);
    const big = encodePacket({ command: A_WRTE, arg0: 1, arg1: 2, data: Buffer.alloc(100) });
    expect(() => new PacketDecoder(99).push(big)).toThrow(/exceeds/);
  });
});

describe('shell protocol v2 codec', () => {
  it('frames [id][u32 LE length][data] and reassembles across chunks', () => {
    const out = encodeShellPacket(SHELL_ID_STDOUT, Buffer.from('hello'));
    expect([...out.subarray(0, 5)]).toEqual([1, 5, 0, 0, 0]);
    const exit = encodeShellExit(259);
    expect([...exit]).toEqual([SHELL_ID_EXIT, 1, 0, 0, 0, 3]);
    const stream = Buffer.concat([out, encodeShellPacket(SHELL_ID_STDERR, Buffer.from('oops')), exit]);
    const decoder = new ShellPacketDecoder();
    const packets = [...decoder.push(stream.subarray(0, 7)), ...decoder.push(stream.subarray(7))];
    expect(packets.map((p) => [p.id, p.data.toString('latin1')])).toEqual([
      [SHELL_ID_STDOUT, 'hello'],
      [SHELL_ID_STDERR, 'oops'],
      [SHELL_ID_EXIT, '\x03'],
    ]);
  });
});

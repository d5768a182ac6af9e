import { inflateSync } from 'node:zlib';
import { PNG_SIGNATURE, crc32, encodePng, readPngChunks, simulatedScreenshot } from './png';

describe('PNG encoder', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('produces a real PNG: signature, IHDR, IDAT, IEND with valid CRCs and inflatable pixels', () => {
    const png = simulatedScreenshot(64, 128);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const chunks = readPngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const ihdr = chunks[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[12]]).toEqual([64, 128, 8, 2, 0]);
    const raw = inflateSync(chunks[1].data);
    expect(raw.length).toBe(128 * (1 + 64 * 3));
    // every row starts with filter 0; the bottom row is the background colour
    const last = raw.subarray(127 * 193, 128 * 193);
    expect(last[0]).toBe(0);
    expect([...last.subarray(1, 4)]).toEqual([0x3d, 0xdc, 0x84]);
    expect(png.length).toBeLessThan(1024);
    expect(simulatedScreenshot(64, 128)).toBe(png); // cached
  });

  it('encodes arbitrary pixels', () => {
    const png = encodePng(2, 2, (x, y) => [x * 255, y * 255, 7]);
    const raw = inflateSync(readPngChunks(png)[1].data);
    expect([...raw]).toEqual([0, 0, 0, 7, 255, 0, 7, 0, 0, 255, 7, 255, 255, 7]);
    expect(() => encodePng(0, 1, () => [0, 0, 0])).toThrow(RangeError);
  });

  it('rejects what is not a PNG', () => {
    expect(() => readPngChunks(Buffer.from('GIF89a'))).toThrow(/signature/);
  });
});

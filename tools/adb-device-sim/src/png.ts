// A minimal, real PNG encoder (8-bit RGB, no interlace) built on node:zlib, plus a tiny chunk
// reader used by the tests and by anyone who wants to check what `screencap -p` returned.
import { deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3), as PNG chunks use it. */
export function crc32(data: Buffer, seed = 0): number {
  let c = (seed ^ 0xffffffff) >>> 0;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}

export type Rgb = readonly [number, number, number];

/** Encodes an RGB image; `pixel(x, y)` gives each pixel's colour. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`bad PNG size ${width}x${height}`);
  }
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter type: None
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const at = y * stride + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour (RGB)
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The simulated screen: a status bar stripe over a solid background, so a screenshot is a
 * recognisable picture and still compresses to a few hundred bytes.
 */
export function simulatedScreenshot(width = 64, height = 128): Buffer {
  const key = `${width}x${height}`;
  let png = screenshots.get(key);
  if (!png) {
    const bar = Math.max(1, Math.round(height / 16));
    png = encodePng(width, height, (_x, y) => (y < bar ? STATUS_BAR : BACKGROUND));
    screenshots.set(key, png);
  }
  return png;
}

const STATUS_BAR: Rgb = [0x20, 0x21, 0x24];
const BACKGROUND: Rgb = [0x3d, 0xdc, 0x84];
const screenshots = new Map<string, Buffer>();

export interface PngChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

/** Splits a PNG into its chunks (checking the signature and each chunk's CRC). */
export function readPngChunks(png: Buffer): PngChunk[] {
  if (png.length < PNG_SIGNATURE.length || !png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new Error('not a PNG: bad signature');
  }
  const chunks: PngChunk[] = [];
  let at = PNG_SIGNATURE.length;
  while (at < png.length) {
    if (at + 12 > png.length) throw new Error('truncated PNG chunk header');
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const end = at + 8 + length;
    if (end + 4 > png.length) throw new Error(`truncated PNG chunk ${type}`);
    const data = png.subarray(at + 8, end);
    const crcOk = crc32(png.subarray(at + 4, end)) === png.readUInt32BE(end);
    chunks.push({ type, data, crcOk });
    at = end + 4;
    if (type === 'IEND') break;
  }
  return chunks;
}

/**
 * The smallest PNG writer the back office needs for the pictures of its
 * generated catalog: 8-bit RGB, no interlace, every scanline unfiltered,
 * zlib-compressed by node:zlib (PNG specification, ISO/IEC 15948).
 */
import { crc32, deflateSync } from 'node:zlib';

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A colour: red, green, blue, 0 to 255. */
export type Rgb = readonly [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A PNG picture `width` x `height` pixels (1 to 4096 each), the colour of
 * each pixel given by `colourAt(x, y)`. Throws RangeError for another size.
 */
export function encodePng(width: number, height: number, colourAt: (x: number, y: number) => Rgb): Buffer {
  for (const [name, size] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(size) || size < 1 || size > 4096) {
      throw new RangeError(`PNG ${name} ${size} is not a whole number of pixels from 1 to 4096`);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter method, no interlace
  const rowBytes = 1 + width * 3;
  const pixels = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    // Each scanline starts with its filter type: 0, none.
    for (let x = 0; x < width; x++) pixels.set(colourAt(x, y), y * rowBytes + 1 + x * 3);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0))]);
}

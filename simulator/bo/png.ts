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
 * The pixels of a picture `width` x `height` (1 to 4096 each): 3 bytes (red,
 * green, blue) a pixel, row after row, the colour of each given by
 * `colourAt(x, y)`. Throws RangeError for another size.
 */
export function rgbPixels(width: number, height: number, colourAt: (x: number, y: number) => Rgb): Buffer {
  for (const [name, size] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(size) || size < 1 || size > 4096) {
      throw new RangeError(`PNG ${name} ${size} is not a whole number of pixels from 1 to 4096`);
    }
  }
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(colourAt(x, y), (y * width + x) * 3);
  }
  return pixels;
}

/**
 * A PNG picture of `width` x `height` pixels, the colour of each given by
 * `colourAt(x, y)`, or `pixels` as rgbPixels makes them. Throws RangeError
 * for a size out of 1 to 4096, or pixels of another length.
 */
export function encodePng(width: number, height: number, colours: ((x: number, y: number) => Rgb) | Buffer): Buffer {
  const rgb = typeof colours === 'function' ? rgbPixels(width, height, colours) : colours;
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`PNG of ${width} x ${height} pixels: ${rgb.length} bytes of pixels, ` +
      `not ${width * height * 3}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter method, no interlace
  const rowBytes = 1 + width * 3;
  const scanlines = Buffer.alloc(rowBytes * height);
  // Each scanline starts with its filter type, left 0: none.
  for (let y = 0; y < height; y++) rgb.copy(scanlines, y * rowBytes + 1, y * width * 3, (y + 1) * width * 3);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0))]);
}

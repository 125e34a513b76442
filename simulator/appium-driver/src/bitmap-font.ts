/**
 * A 5 x 7 pixel font for the screenshot: capitals, digits and common
 * punctuation. Small letters are drawn as capitals and accented letters
 * without their accents; any other character is a hollow box.
 */
import type { Bounds } from './ui-node.ts';

// Each glyph is 7 rows of 5 bits, the top row first, the leftmost pixel the highest bit.
const GLYPHS: Readonly<Record<string, readonly number[]>> = {
  'A': [14, 17, 17, 31, 17, 17, 17], 'B': [30, 17, 17, 30, 17, 17, 30], 'C': [14, 17, 16, 16, 16, 17, 14],
  'D': [30, 17, 17, 17, 17, 17, 30], 'E': [31, 16, 16, 30, 16, 16, 31], 'F': [31, 16, 16, 30, 16, 16, 16],
  'G': [14, 17, 16, 23, 17, 17, 15], 'H': [17, 17, 17, 31, 17, 17, 17], 'I': [14, 4, 4, 4, 4, 4, 14],
  'J': [7, 2, 2, 2, 2, 18, 12], 'K': [17, 18, 20, 24, 20, 18, 17], 'L': [16, 16, 16, 16, 16, 16, 31],
  'M': [17, 27, 21, 21, 17, 17, 17], 'N': [17, 17, 25, 21, 19, 17, 17], 'O': [14, 17, 17, 17, 17, 17, 14],
  'P': [30, 17, 17, 30, 16, 16, 16], 'Q': [14, 17, 17, 17, 21, 18, 13], 'R': [30, 17, 17, 30, 20, 18, 17],
  'S': [15, 16, 16, 14, 1, 1, 30], 'T': [31, 4, 4, 4, 4, 4, 4], 'U': [17, 17, 17, 17, 17, 17, 14],
  'V': [17, 17, 17, 17, 17, 10, 4], 'W': [17, 17, 17, 21, 21, 21, 10], 'X': [17, 17, 10, 4, 10, 17, 17],
  'Y': [17, 17, 10, 4, 4, 4, 4], 'Z': [31, 1, 2, 4, 8, 16, 31],
  '0': [14, 17, 19, 21, 25, 17, 14], '1': [4, 12, 4, 4, 4, 4, 14], '2': [14, 17, 1, 2, 4, 8, 31],
  '3': [31, 2, 4, 2, 1, 17, 14], '4': [2, 6, 10, 18, 31, 2, 2], '5': [31, 16, 30, 1, 1, 17, 14],
  '6': [6, 8, 16, 30, 17, 17, 14], '7': [31, 1, 2, 4, 8, 8, 8], '8': [14, 17, 17, 14, 17, 17, 14],
  '9': [14, 17, 17, 15, 1, 2, 12],
  ' ': [0, 0, 0, 0, 0, 0, 0], '.': [0, 0, 0, 0, 0, 12, 12], ',': [0, 0, 0, 0, 12, 4, 8],
  ':': [0, 12, 12, 0, 12, 12, 0], ';': [0, 12, 12, 0, 12, 4, 8], '-': [0, 0, 0, 31, 0, 0, 0],
  '_': [0, 0, 0, 0, 0, 0, 31], '/': [1, 1, 2, 4, 8, 16, 16], '(': [2, 4, 8, 8, 8, 4, 2],
  ')': [8, 4, 2, 2, 2, 4, 8], "'": [4, 4, 8, 0, 0, 0, 0], '=': [0, 0, 31, 0, 31, 0, 0],
  '@': [14, 17, 23, 21, 23, 16, 15], '?': [14, 17, 1, 2, 4, 0, 4], '!': [4, 4, 4, 4, 4, 0, 4],
  '«': [0, 5, 10, 20, 10, 5, 0], '»': [0, 20, 10, 5, 10, 20, 0], '•': [0, 0, 14, 14, 14, 0, 0],
  '+': [0, 4, 4, 31, 4, 4, 0], '%': [24, 25, 2, 4, 8, 19, 3], '"': [10, 10, 0, 0, 0, 0, 0],
};
const UNKNOWN = [31, 17, 17, 17, 17, 17, 31];

/** Width of a character cell in font pixels, a pixel of space included. */
const CELL = 6;

function glyph(char: string): readonly number[] {
  const plain = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  return GLYPHS[plain] ?? GLYPHS[char] ?? UNKNOWN;
}

/**
 * Draws `text` inside `bounds`, each font pixel `scale` x `scale` screen
 * pixels, wrapping at the right edge and cutting at the bottom; `dot(x, y)`
 * sets one screen pixel.
 */
export function drawText(text: string, bounds: Bounds, scale: number, dot: (x: number, y: number) => void): void {
  const perLine = Math.max(1, Math.floor((bounds.right - bounds.left - 8) / (CELL * scale)));
  const lineHeight = 9 * scale;
  const chars = [...text];
  for (let line = 0; line * perLine < chars.length; line++) {
    const top = bounds.top + 6 + line * lineHeight;
    if (top + 7 * scale > bounds.bottom) return;
    chars.slice(line * perLine, (line + 1) * perLine).forEach((char, column) => {
      const left = bounds.left + 6 + column * CELL * scale;
      glyph(char).forEach((row, y) => {
        for (let x = 0; x < 5; x++) {
          if ((row >> (4 - x)) & 1) {
            for (let dy = 0; dy < scale; dy++) {
              for (let dx = 0; dx < scale; dx++) dot(left + x * scale + dx, top + y * scale + dy);
            }
          }
        }
      });
    });
  }
}

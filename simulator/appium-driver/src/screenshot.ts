/**
 * The screenshot: the windows on screen drawn as boxes with their text, a
 * 1200 x 1920 PNG. Not a picture of the real app: enough for a person to see
 * which screen, which dialog and which values a test saw.
 */
import { encodePng } from '../../bo/png.ts';
import type { VirtualApp } from './app/virtual-app.ts';
import { drawText } from './bitmap-font.ts';
import { visibleWindows } from './screens/windows.ts';
import { descendantsAndSelf, SCREEN, type Bounds, type UiNode } from './ui-node.ts';

type Colour = readonly [number, number, number];

const BACKGROUND: Colour = [250, 250, 250];
const TOOLBAR: Colour = [46, 125, 50];
const BUTTON: Colour = [200, 230, 201];
const BUTTON_DISABLED: Colour = [224, 224, 224];
const FIELD: Colour = [255, 255, 255];
const DIALOG: Colour = [255, 255, 255];
const TEXT: Colour = [33, 33, 33];
const LIGHT_TEXT: Colour = [255, 255, 255];
const OUTLINE: Colour = [158, 158, 158];

/** An RGB canvas the size of the screen. */
class Canvas {
  readonly pixels = Buffer.alloc(SCREEN.width * SCREEN.height * 3);

  fill(bounds: Bounds, colour: Colour): void {
    const left = Math.max(0, bounds.left);
    const right = Math.min(SCREEN.width, bounds.right);
    for (let y = Math.max(0, bounds.top); y < Math.min(SCREEN.height, bounds.bottom); y++) {
      for (let x = left; x < right; x++) this.pixels.set(colour, (y * SCREEN.width + x) * 3);
    }
  }

  dot(x: number, y: number, colour: Colour): void {
    if (x >= 0 && y >= 0 && x < SCREEN.width && y < SCREEN.height) this.pixels.set(colour, (y * SCREEN.width + x) * 3);
  }

  outline(bounds: Bounds, colour: Colour): void {
    const { left, top, right, bottom } = bounds;
    this.fill({ left, top, right, bottom: top + 2 }, colour);
    this.fill({ left, top: bottom - 2, right, bottom }, colour);
    this.fill({ left, top, right: left + 2, bottom }, colour);
    this.fill({ left: right - 2, top, right, bottom }, colour);
  }

  dim(): void {
    for (let i = 0; i < this.pixels.length; i++) this.pixels[i] = Math.round((this.pixels[i] as number) * 0.5);
  }
}

function colours(node: UiNode): { fill?: Colour; text: Colour; outline?: Colour } {
  if (node.className.endsWith('Toolbar')) return { fill: TOOLBAR, text: LIGHT_TEXT };
  if (node.className === 'android.widget.Button') {
    return { fill: node.enabled ? BUTTON : BUTTON_DISABLED, text: TEXT, outline: OUTLINE };
  }
  if (node.className === 'android.widget.EditText' || node.className === 'android.widget.Spinner') {
    return { fill: FIELD, text: TEXT, outline: OUTLINE };
  }
  return { text: node.parent?.className.endsWith('Toolbar') ? LIGHT_TEXT : TEXT };
}

function drawWindow(canvas: Canvas, root: UiNode, isDialog: boolean): void {
  canvas.fill(root.bounds, isDialog ? DIALOG : BACKGROUND);
  if (isDialog) canvas.outline(root.bounds, OUTLINE);
  for (const node of descendantsAndSelf(root)) {
    const look = colours(node);
    if (look.fill !== undefined) canvas.fill(node.bounds, look.fill);
    if (look.outline !== undefined) canvas.outline(node.bounds, look.outline);
    const words = node.text || (node.className === 'android.widget.EditText' ? node.hint : '') || node.contentDesc;
    if (words !== '' && node.children.length === 0) {
      drawText(words, node.bounds, 3, (x, y) => canvas.dot(x, y, look.text));
    }
  }
}

/** A PNG of what the screen shows now: the screen, dimmed under a dialog or popup if one is open. */
export function drawScreenshot(app: VirtualApp): Buffer {
  const canvas = new Canvas();
  visibleWindows(app).forEach((window, i) => {
    if (i > 0) canvas.dim();
    drawWindow(canvas, window, i > 0);
  });
  return encodePng(SCREEN.width, SCREEN.height, canvas.pixels);
}

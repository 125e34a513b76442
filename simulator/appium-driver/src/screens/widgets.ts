/**
 * The pieces every screen is made of: the app's resource ids, the toolbar,
 * buttons, labels, text fields and scroll lists, laid out in pixels.
 */
import type { VirtualApp } from '../app/virtual-app.ts';
import { box, SCREEN, type Bounds, type NodeSpec, type TextInput } from '../ui-node.ts';

/** The height of Android's status bar, above every app window, in pixels. */
export const STATUS_BAR_PX = 60;
/** Where the content starts, below the toolbar, in pixels from the top. */
export const CONTENT_TOP_PX = 200;

/** The app's own resource id, `<package>:id/<name>`. */
export function appId(app: VirtualApp, name: string): string {
  return `${app.appFile.package}:id/${name}`;
}

/** The root FrameLayout of a window covering `bounds` (the whole screen by default). */
export function windowRoot(children: NodeSpec[], bounds = box(0, 0, SCREEN.width, SCREEN.height),
  packageName?: string): NodeSpec {
  return { className: 'android.widget.FrameLayout', bounds, packageName, children };
}

/** The toolbar, with « Revenir en arrière » when `up` is given, the title, then the action buttons. */
export function toolbar(app: VirtualApp, title: string, options: { up?: () => void; actions?: NodeSpec[] } = {}):
  NodeSpec {
  const children: NodeSpec[] = [];
  if (options.up !== undefined) {
    children.push({ className: 'android.widget.ImageButton', desc: 'Revenir en arrière',
      bounds: box(0, STATUS_BAR_PX, 140, 140), onClick: options.up });
  }
  children.push({ className: 'android.widget.TextView', text: title,
    bounds: box(options.up === undefined ? 40 : 160, STATUS_BAR_PX + 40, 700, 60) });
  if (options.actions !== undefined) {
    children.push({ className: 'androidx.appcompat.widget.LinearLayoutCompat',
      bounds: box(900, STATUS_BAR_PX, 300, 140), children: options.actions });
  }
  return { className: 'androidx.appcompat.widget.Toolbar', id: appId(app, 'toolbar'),
    bounds: box(0, STATUS_BAR_PX, SCREEN.width, 140), children };
}

/** A Button; disabled when `enabled` is false (a click then does nothing). */
export function button(id: string, text: string, bounds: Bounds, onClick: () => void, enabled = true): NodeSpec {
  return { className: 'android.widget.Button', id, text, bounds, onClick, enabled };
}

/** A TextView. */
export function label(text: string, bounds: Bounds, id?: string): NodeSpec {
  return { className: 'android.widget.TextView', id, text, bounds };
}

/**
 * An EditText bound to a value. A click focuses it and shows the keyboard;
 * a password field shows dots instead of its text.
 */
export function editText(app: VirtualApp, id: string, bounds: Bounds, input: TextInput,
  options: { hint?: string; password?: boolean; key?: string } = {}): NodeSpec {
  const value = input.value();
  return {
    className: 'android.widget.EditText', id, bounds, input, hint: options.hint, key: options.key,
    text: options.password === true ? '•'.repeat(value.length) : value,
    password: options.password ?? false,
    focusable: true, longClickable: true,
    onClick: () => {
      app.keyboardIsShown = true;
    },
  };
}

/**
 * A vertical list whose rows scroll: only the rows at least partly inside
 * `bounds` are in the hierarchy, with their bounds cut to the list's, as a
 * RecyclerView shows them. The app keeps each list's scroll offset.
 */
export function scrollList(app: VirtualApp, spec: { listId: string; id: string; className?: string; bounds: Bounds;
  rowHeight: number; rows: ((bounds: Bounds) => NodeSpec)[] }): NodeSpec {
  const viewport = spec.bounds.bottom - spec.bounds.top;
  app.listExtents.set(spec.listId, { viewport, content: spec.rows.length * spec.rowHeight });
  const offset = app.scrollOffsets.get(spec.listId) ?? 0;
  const children: NodeSpec[] = [];
  spec.rows.forEach((row, i) => {
    const top = spec.bounds.top + i * spec.rowHeight - offset;
    if (top + spec.rowHeight <= spec.bounds.top || top >= spec.bounds.bottom) return;
    children.push(clip(row(box(spec.bounds.left, top, spec.bounds.right - spec.bounds.left, spec.rowHeight)),
      spec.bounds));
  });
  return {
    className: spec.className ?? 'androidx.recyclerview.widget.RecyclerView', id: spec.id, bounds: spec.bounds,
    scrollable: true, focusable: true, listId: spec.listId, children,
  };
}

function clip(spec: NodeSpec, within: Bounds): NodeSpec {
  const bounds = {
    left: Math.max(spec.bounds.left, within.left), top: Math.max(spec.bounds.top, within.top),
    right: Math.min(spec.bounds.right, within.right), bottom: Math.min(spec.bounds.bottom, within.bottom),
  };
  if (bounds.bottom < bounds.top) bounds.bottom = bounds.top;
  return { ...spec, bounds, children: spec.children?.map((child) => clip(child, within)) };
}

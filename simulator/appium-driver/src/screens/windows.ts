/**
 * What the screen shows: the app's current screen, what lies over it, or the
 * home screen, laid out as UiNode trees.
 */
import { APP_STATE, type VirtualApp } from '../app/virtual-app.ts';
import { layOut, type UiNode } from '../ui-node.ts';
import { overlayWindow } from './dialogs.ts';
import { browserScreen, homeScreen } from './elsewhere.ts';
import { movementScreen } from './movement.ts';
import { settingsScreen } from './settings.ts';
import { stockScreen } from './stock.ts';
import { syncScreen } from './sync.ts';
import type { NodeSpec } from '../ui-node.ts';

function screenSpec(app: VirtualApp): NodeSpec {
  if (app.state !== APP_STATE.foreground) return homeScreen(app);
  switch (app.screen) {
    case 'sync': return syncScreen(app);
    case 'settings': return settingsScreen(app);
    case 'stock': return stockScreen(app);
    case 'movement': return movementScreen(app);
    case 'browser': return browserScreen(app);
  }
}

function markFocus(app: VirtualApp, root: UiNode): UiNode {
  const mark = (node: UiNode): void => {
    if (node.key === app.focusedKey) node.focused = true;
    node.children.forEach(mark);
  };
  mark(root);
  return root;
}

/**
 * The windows on screen, bottom first: the screen, then the dialog or popup
 * over it, if any. Each call draws them afresh from the app's state.
 */
export function visibleWindows(app: VirtualApp): UiNode[] {
  const windows = [layOut(screenSpec(app), app.appFile.package)];
  if (app.state === APP_STATE.foreground && app.overlay !== undefined) {
    windows.push(layOut(overlayWindow(app, app.overlay), app.appFile.package));
  }
  return windows.map((root) => markFocus(app, root));
}

/** The window on top, the one UiAutomator2 shows in its page source and finds elements in. */
export function topWindow(app: VirtualApp): UiNode {
  const windows = visibleWindows(app);
  return windows[windows.length - 1] as UiNode;
}

/**
 * Touch on the virtual screen: W3C pointer actions (a tap, or a vertical
 * swipe that scrolls the list under the finger) and UiScrollable's scroll
 * into view.
 */
import { errors } from '@appium/base-driver';
import type { VirtualApp } from './app/virtual-app.ts';
import { topWindow } from './screens/windows.ts';
import { matchSelector, type UiScrollable } from './ui-selector.ts';
import { descendantsAndSelf, type UiNode } from './ui-node.ts';

/** Below this distance, in pixels, a press and release is a tap, not a swipe. */
export const TAP_SLOP_PX = 20;

interface Point {
  x: number;
  y: number;
}

function contains(node: UiNode, point: Point): boolean {
  const { left, top, right, bottom } = node.bounds;
  return point.x >= left && point.x < right && point.y >= top && point.y < bottom;
}

/** The deepest nodes under a point, innermost first. */
function nodesAt(root: UiNode, point: Point): UiNode[] {
  return descendantsAndSelf(root).filter((node) => contains(node, point)).reverse();
}

function tap(app: VirtualApp, point: Point): void {
  const target = nodesAt(topWindow(app), point).find((node) => node.onClick !== undefined);
  if (target?.enabled === true) {
    if (target.input !== undefined) app.focusedKey = target.key;
    target.onClick?.();
  }
}

function swipe(app: VirtualApp, from: Point, to: Point): void {
  const list = nodesAt(topWindow(app), from).find((node) => node.listId !== undefined);
  if (list?.listId === undefined) return;
  // A finger moving up pulls the list's later rows into view.
  app.scroll(list.listId, from.y - to.y);
}

type PointerAction = { type: string; x?: number; y?: number; origin?: unknown; duration?: number };

function pointerPath(actions: unknown[]): { down?: Point; up?: Point } {
  let at: Point = { x: 0, y: 0 };
  let down: Point | undefined;
  let up: Point | undefined;
  for (const source of actions as { type?: string; actions?: PointerAction[] }[]) {
    if (source.type !== 'pointer') continue;
    for (const action of source.actions ?? []) {
      if (action.type === 'pointerMove') {
        if (action.origin !== undefined && action.origin !== 'viewport') {
          throw new errors.InvalidArgumentError('pointerMove: only the "viewport" origin is simulated; give ' +
            'screen coordinates');
        }
        at = { x: Number(action.x ?? 0), y: Number(action.y ?? 0) };
      } else if (action.type === 'pointerDown') {
        down = at;
      } else if (action.type === 'pointerUp') {
        up = at;
      }
    }
  }
  return { down, up };
}

/**
 * Plays W3C actions: a pointer pressed and released where it was pressed is
 * a tap; moved vertically further than TAP_SLOP_PX it scrolls the list under
 * the press by the distance moved. Key and wheel sources are ignored.
 */
export function performPointerActions(app: VirtualApp, actions: unknown[]): void {
  const { down, up } = pointerPath(actions);
  if (down === undefined || up === undefined) return;
  if (Math.abs(up.y - down.y) <= TAP_SLOP_PX && Math.abs(up.x - down.x) <= TAP_SLOP_PX) tap(app, down);
  else if (Math.abs(up.y - down.y) > Math.abs(up.x - down.x)) swipe(app, down, up);
}

/**
 * UiScrollable's scrollIntoView: finds the target if it is in the hierarchy;
 * if not, scrolls the list from its top a page at a time (at most
 * `maxSwipes` times) until it is. Returns the target's matches, or none.
 */
export function scrollIntoView(app: VirtualApp, scroll: UiScrollable): UiNode[] {
  const present = () => matchSelector(scroll.target, descendantsAndSelf(topWindow(app)));
  const list = matchSelector(scroll.container, descendantsAndSelf(topWindow(app)))
    .find((node) => node.listId !== undefined);
  if (present().length > 0 || list?.listId === undefined) return present();
  const page = Math.max(1, Math.round((list.bounds.bottom - list.bounds.top) * 0.8));
  app.scroll(list.listId, -Number.MAX_SAFE_INTEGER);
  for (let swipes = 0; swipes <= scroll.maxSwipes; swipes++) {
    const found = present();
    if (found.length > 0) return found;
    if (app.scroll(list.listId, page) === 0) break;
  }
  return [];
}

/**
 * A node of a screen's view hierarchy, as UiAutomator2 reports it: class,
 * resource id, text, content description, bounds and the boolean states,
 * plus what the virtual app does when it is clicked or typed into.
 */

/** A rectangle on the 1200 x 1920 screen, in pixels; `right` and `bottom` excluded. */
export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The width and height of the virtual tablet's screen, in pixels (portrait). */
export const SCREEN = { width: 1200, height: 1920 } as const;

/** What a text field holds, and how typing changes it. */
export interface TextInput {
  value(): string;
  set(value: string): void;
}

/** The boolean states UiAutomator2 reports for each node. */
export interface NodeStates {
  checkable: boolean;
  checked: boolean;
  clickable: boolean;
  enabled: boolean;
  focusable: boolean;
  focused: boolean;
  longClickable: boolean;
  password: boolean;
  scrollable: boolean;
  selected: boolean;
  displayed: boolean;
}

/** A node once laid out: its place among its siblings, its window's package and a key stable across renders. */
export interface UiNode extends NodeStates {
  className: string;
  packageName: string;
  resourceId: string;
  text: string;
  contentDesc: string;
  hint: string;
  bounds: Bounds;
  children: UiNode[];
  parent: UiNode | undefined;
  /** Position among its parent's children. */
  index: number;
  /** The path of keys from the window's root; the same node keeps it while its screen stays. */
  key: string;
  onClick?: () => void;
  input?: TextInput;
  /** The scroll list this node shows, for swipes and UiScrollable. */
  listId?: string;
}

/** How a screen describes a node; everything but the class is optional. */
export interface NodeSpec extends Partial<NodeStates> {
  className: string;
  /** Full resource id, e.g. `estock.virtual:id/sync_status` or `android:id/title`. */
  id?: string;
  text?: string;
  desc?: string;
  hint?: string;
  bounds: Bounds;
  /** Names the node among its siblings when its id does not (list rows). */
  key?: string;
  packageName?: string;
  children?: NodeSpec[];
  onClick?: () => void;
  input?: TextInput;
  listId?: string;
}

/** A rectangle from its left, top, width and height. */
export function box(left: number, top: number, width: number, height: number): Bounds {
  return { left, top, right: left + width, bottom: top + height };
}

/**
 * Lays out a window: fills in the defaults, the index, parent and key of
 * every node, and the window's package where a node names none.
 */
export function layOut(spec: NodeSpec, packageName: string, parent?: UiNode, index = 0): UiNode {
  const ownPackage = spec.packageName ?? packageName;
  const node: UiNode = {
    className: spec.className,
    packageName: ownPackage,
    resourceId: spec.id ?? '',
    text: spec.text ?? '',
    contentDesc: spec.desc ?? '',
    hint: spec.hint ?? '',
    bounds: spec.bounds,
    checkable: spec.checkable ?? false,
    checked: spec.checked ?? false,
    clickable: spec.clickable ?? spec.onClick !== undefined,
    enabled: spec.enabled ?? true,
    focusable: spec.focusable ?? (spec.input !== undefined || spec.onClick !== undefined),
    focused: spec.focused ?? false,
    longClickable: spec.longClickable ?? false,
    password: spec.password ?? false,
    scrollable: spec.scrollable ?? false,
    selected: spec.selected ?? false,
    displayed: spec.displayed ?? true,
    children: [],
    parent,
    index,
    key: `${parent?.key ?? ''}/${spec.key ?? (spec.id || `${spec.className}#${index}`)}`,
    onClick: spec.onClick,
    input: spec.input,
    listId: spec.listId,
  };
  node.children = (spec.children ?? []).map((child, i) => layOut(child, ownPackage, node, i));
  return node;
}

/** The node and all its descendants, depth first, in document order. */
export function descendantsAndSelf(node: UiNode): UiNode[] {
  return [node, ...node.children.flatMap(descendantsAndSelf)];
}

/** Formats bounds as UiAutomator2 does: `[left,top][right,bottom]`. */
export function formatBounds(bounds: Bounds): string {
  return `[${bounds.left},${bounds.top}][${bounds.right},${bounds.bottom}]`;
}

/** The element attributes `getAttribute` answers, under UiAutomator2's names and their aliases. */
import { errors } from '@appium/base-driver';
import { formatBounds, type UiNode } from './ui-node.ts';

const READERS: Readonly<Record<string, (node: UiNode) => string>> = {
  'text': (node) => node.text,
  'resource-id': (node) => node.resourceId,
  'content-desc': (node) => node.contentDesc,
  'class': (node) => node.className,
  'package': (node) => node.packageName,
  'hint': (node) => node.hint,
  'index': (node) => String(node.index),
  'bounds': (node) => formatBounds(node.bounds),
  'checkable': (node) => String(node.checkable),
  'checked': (node) => String(node.checked),
  'clickable': (node) => String(node.clickable),
  'enabled': (node) => String(node.enabled),
  'focusable': (node) => String(node.focusable),
  'focused': (node) => String(node.focused),
  'long-clickable': (node) => String(node.longClickable),
  'password': (node) => String(node.password),
  'scrollable': (node) => String(node.scrollable),
  'selected': (node) => String(node.selected),
  'displayed': (node) => String(node.displayed),
};

const ALIASES: Readonly<Record<string, string>> = {
  name: 'content-desc', contentDescription: 'content-desc', resourceId: 'resource-id', className: 'class',
  longClickable: 'long-clickable',
};

/** An attribute of a node as a string; throws InvalidArgumentError naming the attributes there are. */
export function readAttribute(node: UiNode, name: string): string {
  const reader = READERS[ALIASES[name] ?? name];
  if (reader === undefined) {
    throw new errors.InvalidArgumentError(`element attribute ${JSON.stringify(name)} is not known; ` +
      `ask for one of: ${Object.keys(READERS).join(', ')}`);
  }
  return reader(node);
}

/** The element attributes `getAttribute` answers: those of the page source, under their names and aliases. */
import { errors } from '@appium/base-driver';
import { nodeAttributes } from './page-source.ts';
import type { UiNode } from './ui-node.ts';

const ALIASES: Readonly<Record<string, string>> = {
  name: 'content-desc', contentDescription: 'content-desc', resourceId: 'resource-id', className: 'class',
  longClickable: 'long-clickable',
};

/** An attribute of a node as a string; throws InvalidArgumentError naming the attributes there are. */
export function readAttribute(node: UiNode, name: string): string {
  const attributes = nodeAttributes(node);
  const wanted = ALIASES[name] ?? name;
  const found = attributes.find(([attribute]) => attribute === wanted);
  if (found === undefined) {
    throw new errors.InvalidArgumentError(`element attribute ${JSON.stringify(name)} is not known; ` +
      `ask for one of: ${attributes.map(([attribute]) => attribute).join(', ')}`);
  }
  return found[1];
}

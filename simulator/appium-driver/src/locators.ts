/**
 * The locator strategies, as UiAutomator2 understands them: `id` (full
 * `pkg:id/x`, or short `x` for the app's own package), `accessibility id`
 * (content-desc), `class name`, `xpath` (run on the page source by the
 * `xpath` library) and `-android uiautomator` (UiSelector, UiScrollable).
 */
import { errors } from '@appium/base-driver';
import * as xpath from 'xpath';
import { parsePageSource } from './page-source.ts';
import { compileUiAutomator, matchSelector, type UiScrollable } from './ui-selector.ts';
import { descendantsAndSelf, type UiNode } from './ui-node.ts';

/** The strategies this driver answers; any other is an InvalidSelectorError. */
export const LOCATOR_STRATEGIES = ['id', 'accessibility id', 'class name', 'xpath', '-android uiautomator'];

/** Where a search runs: the window on top, and the element it starts from, if any. */
export interface SearchScope {
  window: UiNode;
  /** Search this node's descendants only; the whole window when undefined. */
  from?: UiNode;
  /** The app's package, for short ids. */
  appPackage: string;
  /** Scrolls the list until the target is in the hierarchy; returns what it found then. */
  scrollIntoView(scroll: UiScrollable): UiNode[];
}

function below(scope: SearchScope): UiNode[] {
  return scope.from === undefined ? descendantsAndSelf(scope.window)
    : scope.from.children.flatMap(descendantsAndSelf);
}

function byId(scope: SearchScope, id: string): UiNode[] {
  const nodes = below(scope);
  if (id.includes(':id/')) return nodes.filter((node) => node.resourceId === id);
  const own = nodes.filter((node) => node.resourceId === `${scope.appPackage}:id/${id}`);
  return own.length > 0 ? own : nodes.filter((node) => node.resourceId === id);
}

function byXpath(scope: SearchScope, expression: string): UiNode[] {
  const parsed = parsePageSource(scope.window);
  const context = scope.from === undefined ? parsed.document : parsed.elementOf.get(scope.from);
  if (context === undefined) return [];
  let result: unknown;
  try {
    result = xpath.select(expression, context as unknown as Node);
  } catch (error) {
    throw new errors.InvalidSelectorError(`xpath ${JSON.stringify(expression)} is not a valid XPath 1.0 ` +
      `expression: ${(error as Error).message}`);
  }
  if (!Array.isArray(result)) {
    throw new errors.InvalidSelectorError(`xpath ${JSON.stringify(expression)} selects a ${typeof result}, ` +
      'not elements');
  }
  return result.flatMap((xml) => parsed.nodeOf.get(xml as never) ?? []);
}

function byUiAutomator(scope: SearchScope, source: string): UiNode[] {
  const locator = compileUiAutomator(source);
  if (locator.kind === 'scroll') return scope.scrollIntoView(locator.scroll);
  return matchSelector(locator.selector, below(scope));
}

/**
 * The nodes a locator finds, in document order (none is not an error here).
 * Throws InvalidSelectorError for an unknown strategy or a wrong selector.
 */
export function findNodes(strategy: string, selector: string, scope: SearchScope): UiNode[] {
  switch (strategy) {
    case 'id': return byId(scope, selector);
    case 'accessibility id': return below(scope).filter((node) => node.contentDesc === selector);
    case 'class name': return below(scope).filter((node) => node.className === selector);
    case 'xpath': return byXpath(scope, selector);
    case '-android uiautomator': return byUiAutomator(scope, selector);
    default:
      throw new errors.InvalidSelectorError(`locator strategy ${JSON.stringify(strategy)} is not supported by ` +
        `the EstockVirtual driver; use one of: ${LOCATOR_STRATEGIES.join(', ')}`);
  }
}

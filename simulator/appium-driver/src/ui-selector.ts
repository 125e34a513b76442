/**
 * The meaning of a `-android uiautomator` locator: a UiSelector becomes a
 * test on nodes (plus `instance`, `childSelector`), a UiScrollable a list to
 * scroll and the selector to scroll into view. Methods UiAutomator has but
 * this simulation does not are refused by name, with the ones it knows.
 */
import { parseUiAutomator, selectorError, type Argument, type Chain, type MethodCall } from './ui-selector-syntax.ts';
import { descendantsAndSelf, type UiNode } from './ui-node.ts';

/** A compiled UiSelector. */
export interface UiSelector {
  tests: ((node: UiNode) => boolean)[];
  /** `instance(n)`: the n-th match (0-based) of the whole search. */
  instance?: number;
  /** `childSelector(...)`: what to find among each match's descendants. */
  child?: UiSelector;
}

/** A compiled UiScrollable: the list to scroll, and the element to bring into view. */
export interface UiScrollable {
  container: UiSelector;
  target: UiSelector;
  maxSwipes: number;
}

/** A `-android uiautomator` locator: a plain selector, or a scroll into view. */
export type UiAutomatorLocator = { kind: 'selector'; selector: UiSelector } | { kind: 'scroll'; scroll: UiScrollable };

/** How many swipes UiScrollable makes at most before giving up (UiAutomator's default is 30). */
export const DEFAULT_MAX_SEARCH_SWIPES = 30;

type Compile = (source: string, call: MethodCall) => (node: UiNode) => boolean;

function oneArgument(source: string, call: MethodCall, kind: Argument['kind']): Argument {
  const [arg, extra] = call.args;
  if (arg === undefined || extra !== undefined || arg.kind !== kind) {
    throw selectorError(source, call.at, `${call.name}() takes one ${kind === 'chain' ? 'UiSelector' : kind}`);
  }
  return arg;
}

const text = (source: string, call: MethodCall) => oneArgument(source, call, 'string').value as string;
const flag = (source: string, call: MethodCall) => oneArgument(source, call, 'boolean').value as boolean;

function javaRegex(source: string, call: MethodCall): RegExp {
  const pattern = text(source, call);
  try {
    // Java's String.matches: the whole value must match.
    return new RegExp(`^(?:${pattern})$`, 's');
  } catch (error) {
    throw selectorError(source, call.at, `${call.name}() has a regular expression that does not compile ` +
      `(${(error as Error).message})`);
  }
}

function checkFlag(read: (node: UiNode) => boolean): Compile {
  return (source, call) => {
    const wanted = flag(source, call);
    return (node) => read(node) === wanted;
  };
}

const TESTS: Readonly<Record<string, Compile>> = {
  resourceId: (s, c) => { const id = text(s, c); return (node) => node.resourceId === id; },
  resourceIdMatches: (s, c) => { const re = javaRegex(s, c); return (node) => re.test(node.resourceId); },
  text: (s, c) => { const value = text(s, c); return (node) => node.text === value; },
  textContains: (s, c) => { const value = text(s, c); return (node) => node.text.includes(value); },
  textStartsWith: (s, c) => { const value = text(s, c); return (node) => node.text.startsWith(value); },
  textMatches: (s, c) => { const re = javaRegex(s, c); return (node) => re.test(node.text); },
  description: (s, c) => { const value = text(s, c); return (node) => node.contentDesc === value; },
  descriptionContains: (s, c) => { const value = text(s, c); return (node) => node.contentDesc.includes(value); },
  descriptionStartsWith: (s, c) => { const value = text(s, c); return (node) => node.contentDesc.startsWith(value); },
  descriptionMatches: (s, c) => { const re = javaRegex(s, c); return (node) => re.test(node.contentDesc); },
  className: (s, c) => { const value = text(s, c); return (node) => node.className === value; },
  classNameMatches: (s, c) => { const re = javaRegex(s, c); return (node) => re.test(node.className); },
  packageName: (s, c) => { const value = text(s, c); return (node) => node.packageName === value; },
  index: (s, c) => {
    const value = oneArgument(s, c, 'number').value as number;
    return (node) => node.index === value;
  },
  checkable: checkFlag((node) => node.checkable),
  checked: checkFlag((node) => node.checked),
  clickable: checkFlag((node) => node.clickable),
  enabled: checkFlag((node) => node.enabled),
  focusable: checkFlag((node) => node.focusable),
  focused: checkFlag((node) => node.focused),
  longClickable: checkFlag((node) => node.longClickable),
  scrollable: checkFlag((node) => node.scrollable),
  selected: checkFlag((node) => node.selected),
};

function unknownMethod(source: string, call: MethodCall, known: string[]): Error {
  return selectorError(source, call.at, `${call.name}() is not a method this simulation knows ` +
    `(known: ${known.join(', ')})`);
}

function compileSelector(source: string, chain: Chain): UiSelector {
  if (chain.className !== 'UiSelector' || chain.args.length > 0) {
    throw selectorError(source, chain.at, 'new UiSelector() expected');
  }
  const selector: UiSelector = { tests: [] };
  for (const call of chain.calls) {
    if (call.name === 'instance') {
      selector.instance = oneArgument(source, call, 'number').value as number;
    } else if (call.name === 'childSelector') {
      selector.child = compileSelector(source, oneArgument(source, call, 'chain').value as Chain);
    } else {
      const compile = TESTS[call.name];
      if (compile === undefined) {
        throw unknownMethod(source, call, [...Object.keys(TESTS), 'instance', 'childSelector']);
      }
      selector.tests.push(compile(source, call));
    }
  }
  return selector;
}

function compileScrollable(source: string, chain: Chain): UiScrollable {
  const [container, extra] = chain.args;
  if (container?.kind !== 'chain' || extra !== undefined) {
    throw selectorError(source, chain.at, 'new UiScrollable(new UiSelector()...) expected');
  }
  let target: UiSelector | undefined;
  let maxSwipes = DEFAULT_MAX_SEARCH_SWIPES;
  for (const call of chain.calls) {
    if (call.name === 'setAsVerticalList' && call.args.length === 0) continue;
    if (call.name === 'setMaxSearchSwipes') maxSwipes = oneArgument(source, call, 'number').value as number;
    else if (call.name === 'scrollIntoView') {
      target = compileSelector(source, oneArgument(source, call, 'chain').value as Chain);
    } else if (call.name === 'scrollTextIntoView') {
      const wanted = text(source, call);
      target = { tests: [(node) => node.text.includes(wanted)] };
    } else {
      throw unknownMethod(source, call, ['setAsVerticalList', 'setMaxSearchSwipes', 'scrollIntoView',
        'scrollTextIntoView']);
    }
  }
  if (target === undefined) throw selectorError(source, source.length, 'UiScrollable needs .scrollIntoView(...)');
  return { container: compileSelector(source, container.value), target, maxSwipes };
}

/** Compiles a `-android uiautomator` locator; throws InvalidSelectorError saying what and where. */
export function compileUiAutomator(source: string): UiAutomatorLocator {
  if (source.trim() === '') throw selectorError(source, 0, 'the selector is empty');
  const chain = parseUiAutomator(source);
  if (chain.className === 'UiScrollable') return { kind: 'scroll', scroll: compileScrollable(source, chain) };
  return { kind: 'selector', selector: compileSelector(source, chain) };
}

/**
 * The nodes a UiSelector matches among `candidates` (in document order):
 * every node of a window, or the descendants of the element searched from.
 */
export function matchSelector(selector: UiSelector, candidates: UiNode[]): UiNode[] {
  let matches = candidates.filter((node) => selector.tests.every((test) => test(node)));
  if (selector.child !== undefined) {
    const child = selector.child;
    const found = new Set(matches.flatMap((match) => matchSelector(child, match.children.flatMap(descendantsAndSelf))));
    matches = candidates.filter((node) => found.has(node));
  }
  if (selector.instance === undefined) return matches;
  const one = matches[selector.instance];
  return one === undefined ? [] : [one];
}

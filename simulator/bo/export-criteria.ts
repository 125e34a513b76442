/**
 * The « Critères Articles et Lots » of a device in the eStock list, as text,
 * and the checks of a lot selection. The text says, in the words of the
 * export window, which articles and lots the device gets, e.g.
 *
 *     family=ROUGE,BLANC depot=STOCK vintage=2018..2020 quantity=1.. article=ART00*
 *
 * Criteria are separated by spaces; each is `name=value`, at most once:
 *
 * - `article=`, `family=`, `depot=`, `location=`: codes separated by commas,
 *   any of which matches; `*` in a code matches any characters; letters match
 *   whatever their case. A location is `A01` (in any depot) or `STOCK/A01`.
 * - `vintage=`: a year or a range of years, `2018`, `2015..2020`, `2015..`, `..2020`.
 * - `quantity=`: a quantity or a range, `12`, `1..`, `..500`, `0.5..2.25`
 *   (decimals with a point).
 *
 * Empty text means no filter. The text reads into the same LotSelection as
 * the export window's, and both apply: a device gets what matches both.
 */
import { BackOfficeError, BackOfficeValueError } from '../errors.ts';
import type { LotSelection } from './types.ts';

/** A code of a criterion: letters, digits, `-`, `_`, `.`, and `*` for any characters. */
const CODE = /^[A-Za-z0-9_.*-]+$/;
const YEAR = /^\d{4}$/;
const QUANTITY = /^\d+(\.\d+)?$/;

type ListName = 'articles' | 'families' | 'depots' | 'locations';

const LIST_CRITERIA: Readonly<Record<string, ListName>> = {
  article: 'articles', family: 'families', depot: 'depots', location: 'locations',
};

/** The names a criteria text may use, in the order the help lists them. */
export const CRITERIA_NAMES = ['article', 'family', 'depot', 'location', 'vintage', 'quantity'] as const;

const HELP = 'write criteria as name=value separated by spaces, with the names article, family, depot, ' +
  'location, vintage and quantity, e.g. "family=ROUGE,BLANC depot=STOCK vintage=2018..2020 quantity=1.."';

function codesOf(name: string, value: string): string[] | string {
  const codes = value.split(',');
  for (const code of codes) {
    const parts = name === 'location' ? code.split('/') : [code];
    if (parts.length > 2 || parts.some((part) => !CODE.test(part))) {
      return `"${code}" is not a code: use letters, digits, "-", "_", "." and "*"` +
        (name === 'location' ? ', and DEPOT/LOCATION for a location of one depot' : '');
    }
  }
  return codes;
}

/** The bounds of `a..b`, `a..`, `..b` or `a`; a string says what is wrong. */
function rangeOf(value: string, bound: RegExp, what: string, example: string): [string?, string?] | string {
  const parts = value.split('..');
  if (parts.length > 2) return `"${value}" has more than one ".."; ${example}`;
  const [from, to = from] = parts as [string, string?];
  if (from === '' && to === '') return `"${value}" has no bound; ${example}`;
  for (const part of [from, to]) {
    if (part !== '' && !bound.test(part)) return `"${part}" is not ${what}; ${example}`;
  }
  return [from === '' ? undefined : from, to === '' ? undefined : to];
}

function readCriterion(selection: LotSelection, name: string, value: string): string | undefined {
  const list = LIST_CRITERIA[name];
  if (list !== undefined) {
    const codes = codesOf(name, value);
    if (typeof codes === 'string') return codes;
    selection[list] = codes;
    return undefined;
  }
  if (name === 'vintage') {
    const range = rangeOf(value, YEAR, 'a year of 4 digits',
      'write vintage=2018, vintage=2015..2020, vintage=2015.. or vintage=..2020');
    if (typeof range === 'string') return range;
    selection.vintages = { from: numberOr(range[0]), to: numberOr(range[1]) };
  } else {
    const range = rangeOf(value, QUANTITY, 'a quantity (digits, a point before decimals)',
      'write quantity=12, quantity=1.., quantity=..500 or quantity=0.5..2.25');
    if (typeof range === 'string') return range;
    selection.quantity = { min: numberOr(range[0]), max: numberOr(range[1]) };
  }
  return checkSelection(selection)[0];
}

function numberOr(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/**
 * Reads a criteria text into a LotSelection (empty text: no criterion).
 * Throws BackOfficeError that names the device, the criteria and the token at
 * fault, with what to write instead.
 */
export function parseCriteria(text: string, deviceId: string): LotSelection {
  const selection: LotSelection = {};
  const seen = new Set<string>();
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  for (const token of tokens) {
    const fail = (problem: string): never => {
      throw new BackOfficeError(`the « Critères Articles et Lots » of device ${deviceId} ` +
        `("${text}") cannot be read: ${token}: ${problem}`);
    };
    const equals = token.indexOf('=');
    if (equals < 0) fail(`not name=value; ${HELP}`);
    const name = token.slice(0, equals).toLowerCase();
    const value = token.slice(equals + 1);
    if (!(CRITERIA_NAMES as readonly string[]).includes(name)) fail(`unknown criterion "${name}"; ${HELP}`);
    if (seen.has(name)) fail(`${name} is given twice; give its values once, separated by commas`);
    if (value === '') fail(`${name} has no value`);
    seen.add(name);
    const problem = readCriterion(selection, name, value);
    if (problem !== undefined) fail(problem);
  }
  return selection;
}

/**
 * Checks a criteria text before it is stored in the eStock list. Throws
 * BackOfficeValueError starting with `what` (e.g. `device Tab001 not changed in
 * the eStock list`) and saying which token is wrong.
 */
export function checkCriteria(text: string, deviceId: string, what: string): void {
  try {
    parseCriteria(text, deviceId);
  } catch (error) {
    throw new BackOfficeValueError(`${what}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The problems of a lot selection, each as `key: problem`: empty or badly
 * written codes, a range whose start is after its end, a vintage that is not
 * a whole year. Empty when it is sound.
 */
export function checkSelection(selection: LotSelection): string[] {
  const problems: string[] = [];
  const lists: [ListName, string][] = [['articles', 'article'], ['families', 'family'],
    ['depots', 'depot'], ['locations', 'location']];
  for (const [list, name] of lists) {
    if (selection[list]?.length === 0) problems.push(`${list}: an empty list matches nothing; leave it out`);
    for (const code of selection[list] ?? []) {
      const wrong = codesOf(name, code);
      if (typeof wrong === 'string') problems.push(`${list}: ${wrong}`);
    }
  }
  const { vintages, quantity } = selection;
  for (const year of [vintages?.from, vintages?.to]) {
    if (year !== undefined && !Number.isInteger(year)) problems.push(`vintages: ${year} is not a whole year`);
  }
  if (vintages?.from !== undefined && vintages.to !== undefined && vintages.from > vintages.to) {
    problems.push(`vintages: from ${vintages.from} is after to ${vintages.to}`);
  }
  for (const amount of [quantity?.min, quantity?.max]) {
    if (amount !== undefined && !Number.isFinite(amount)) problems.push(`quantity: ${amount} is not a number`);
  }
  if (quantity?.min !== undefined && quantity.max !== undefined && quantity.min > quantity.max) {
    problems.push(`quantity: min ${quantity.min} is more than max ${quantity.max}`);
  }
  return problems;
}

/** A selection written as criteria text, e.g. `family=ROUGE vintage=2018..`; empty for none. */
export function formatCriteria(selection: LotSelection): string {
  const range = (from?: number, to?: number): string =>
    from === to ? String(from) : `${from ?? ''}..${to ?? ''}`;
  const parts: string[] = [];
  if (selection.articles !== undefined) parts.push(`article=${selection.articles.join(',')}`);
  if (selection.families !== undefined) parts.push(`family=${selection.families.join(',')}`);
  if (selection.depots !== undefined) parts.push(`depot=${selection.depots.join(',')}`);
  if (selection.locations !== undefined) parts.push(`location=${selection.locations.join(',')}`);
  const { vintages, quantity } = selection;
  if (vintages?.from !== undefined || vintages?.to !== undefined) {
    parts.push(`vintage=${range(vintages.from, vintages.to)}`);
  }
  if (quantity?.min !== undefined || quantity?.max !== undefined) {
    parts.push(`quantity=${range(quantity.min, quantity.max)}`);
  }
  return parts.join(' ');
}

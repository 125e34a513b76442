/**
 * Expectations of scenario steps: each check returns what it expected and
 * did not get, one text per expectation, so that a step reports all of them;
 * failIfUnmet then throws one ExpectationError with the lot.
 */
import { HilError } from '../../simulator/errors.ts';
import type { StockLine } from '../../simulator/bo/index.ts';
import { counted } from './counts.ts';
import type { StockExpectation } from './schema.ts';

/** The system under test did not do what the scenario expects: the scenario failed. */
export class ExpectationError extends HilError {
  /** Each expectation not met, e.g. `expected tables 52, got 51`. */
  readonly unmet: readonly string[];

  /**
   * `what` says which step on which device, e.g. `bo.export Tab001`; `appSaid`, the app's own words about what
   * it did (the FTP test's message), says why.
   */
  constructor(what: string, unmet: readonly string[], appSaid?: string) {
    super('EXPECTATION', `${what}: ${unmet.join('; ')}${appSaid === undefined ? '' : `; the app said: ${appSaid}`}`);
    this.unmet = unmet;
  }
}

/**
 * The scenario asks for something that no run of the system could give (a
 * fault number that names no fault in force): the step is broken, not failed,
 * since the fault is the scenario's, not the app's. Not a HilError on purpose.
 */
export class ScenarioError extends Error {}

/** Throws an ExpectationError listing every unmet expectation, if there is any, with what the app said. */
export function failIfUnmet(what: string, unmet: readonly string[], appSaid?: string): void {
  if (unmet.length > 0) throw new ExpectationError(what, unmet, appSaid);
}

/** Each expected value against the actual one, by name; undefined expectations are not checked. */
export function unmetValues(expected: Record<string, unknown> | undefined, actual: object): string[] {
  const values = actual as Record<string, unknown>;
  return Object.entries(expected ?? {})
    .filter(([key, value]) => value !== undefined && values[key] !== value)
    .map(([key, value]) => `expected ${key} ${JSON.stringify(value)}, got ${JSON.stringify(values[key])}`);
}

/** Anomalies: a count, or texts each of which some anomaly's reason must contain. */
export function unmetAnomalies(expected: number | string[] | undefined, reasons: string[]): string[] {
  if (expected === undefined) return [];
  const listed = reasons.length > 0 ? `: ${reasons.join(' | ')}` : '';
  if (typeof expected === 'number') {
    if (reasons.length === expected) return [];
    return [`expected ${counted(expected, 'anomaly')}, got ${reasons.length}${listed}`];
  }
  const missing = expected.filter((text) => !reasons.some((reason) => reason.includes(text)));
  if (missing.length === 0) return [];
  const texts = missing.map((text) => `"${text}"`).join(', ');
  const what = missing.length === 1 ? 'an anomaly' : 'anomalies';
  return [`expected ${what} containing ${texts}, got ${counted(reasons.length, 'anomaly')}${listed}`];
}

/** The stock at each expected place, as a quantity after the step or a change across it. */
export function unmetStock(
  expected: StockExpectation[] | undefined,
  before: readonly StockLine[],
  after: readonly StockLine[],
): string[] {
  const unmet: string[] = [];
  for (const line of expected ?? []) {
    const place = `${line.lot} at ${line.depot}/${line.location}`;
    const quantityBefore = quantityAt(before, line);
    const quantityAfter = quantityAt(after, line);
    if (line.quantity !== undefined && !sameQuantity(quantityAfter, line.quantity)) {
      unmet.push(`expected stock ${line.quantity} of ${place}, got ${quantityAfter}`);
    }
    const change = Math.round((quantityAfter - quantityBefore) * 1000) / 1000;
    if (line.change !== undefined && !sameQuantity(change, line.change)) {
      unmet.push(`expected stock of ${place} to change by ${line.change}, ` +
        `it went from ${quantityBefore} to ${quantityAfter} (${change >= 0 ? '+' : ''}${change})`);
    }
  }
  return unmet;
}

function quantityAt(stock: readonly StockLine[], place: StockExpectation): number {
  const line = stock.find((s) => s.lot === place.lot && s.depot === place.depot && s.location === place.location);
  return line?.quantity ?? 0;
}

function sameQuantity(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.0005;
}

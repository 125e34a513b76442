/**
 * Expectations of scenario steps: each check throws an ExpectationError that
 * says what was expected and what happened instead.
 */
import { HilError } from '../../simulator/errors.ts';
import type { StockLine } from '../../simulator/bo/index.ts';
import type { StockExpectation } from './schema.ts';

/** The system under test did not do what the scenario expects: the scenario failed. */
export class ExpectationError extends HilError {
  constructor(message: string) {
    super('EXPECTATION', message);
  }
}

/** Checks each expected value against the actual one, by name; undefined expectations are not checked. */
export function expectValues(what: string, expected: Record<string, unknown> | undefined, actual: object): void {
  if (!expected) return;
  const values = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected)) {
    if (value === undefined) continue;
    if (values[key] !== value) {
      const got = JSON.stringify(values[key]);
      throw new ExpectationError(`${what}: expected ${key} ${JSON.stringify(value)}, got ${got}`);
    }
  }
}

/** Checks anomalies: a count, or texts each of which some anomaly's reason must contain. */
export function expectAnomalies(what: string, expected: number | string[] | undefined, reasons: string[]): void {
  if (expected === undefined) return;
  const listed = reasons.length > 0 ? `: ${reasons.join(' | ')}` : '';
  if (typeof expected === 'number') {
    if (reasons.length !== expected) {
      throw new ExpectationError(`${what}: expected ${expected} anomalies, got ${reasons.length}${listed}`);
    }
    return;
  }
  for (const text of expected) {
    if (!reasons.some((reason) => reason.includes(text))) {
      throw new ExpectationError(`${what}: expected an anomaly containing "${text}", got ${reasons.length}${listed}`);
    }
  }
}

/** Checks the stock at each expected place, as a quantity after the step or a change across it. */
export function expectStock(
  what: string,
  expected: StockExpectation[] | undefined,
  before: readonly StockLine[],
  after: readonly StockLine[],
): void {
  for (const line of expected ?? []) {
    const place = `${line.lot} at ${line.depot}/${line.location}`;
    const quantityBefore = quantityAt(before, line);
    const quantityAfter = quantityAt(after, line);
    if (line.quantity !== undefined && !sameQuantity(quantityAfter, line.quantity)) {
      throw new ExpectationError(`${what}: expected stock ${line.quantity} of ${place}, got ${quantityAfter}`);
    }
    const change = Math.round((quantityAfter - quantityBefore) * 1000) / 1000;
    if (line.change !== undefined && !sameQuantity(change, line.change)) {
      throw new ExpectationError(`${what}: expected stock of ${place} to change by ${line.change}, ` +
        `it went from ${quantityBefore} to ${quantityAfter} (${change >= 0 ? '+' : ''}${change})`);
    }
  }
}

function quantityAt(stock: readonly StockLine[], place: StockExpectation): number {
  const line = stock.find((s) => s.lot === place.lot && s.depot === place.depot && s.location === place.location);
  return line?.quantity ?? 0;
}

function sameQuantity(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.0005;
}

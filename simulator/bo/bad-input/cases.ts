/**
 * What a case of the bad-input corpus is, and the words its definitions use
 * to say what the back office must do: import some movements and report
 * some lines, or leave the zip in the inbox with one anomaly.
 */
import type { Mapping } from '../../exchange/types.ts';

/** What the back office must do with a case's zip. */
export interface CaseExpectation {
  /** The zip cannot be read: it stays in the inbox, reported, for a later import. */
  zipLeftInInbox: boolean;
  movementsImported: number;
  /** MVT_ID of the movements imported, in file order. */
  movementIds: string[];
  /** How the quantity of the corpus's lot at its place changes (exits: minus the good lines). */
  stockChange: number;
  /**
   * The import report's anomalies, in order, each written `file:line: reason`
   * (`file: reason` without a line), as describeAnomaly writes them.
   */
  anomalies: RegExp[];
}

/** One upload of the corpus. */
export interface BadInputCase {
  /** Short and unique, e.g. `entry-parent-slash`. */
  name: string;
  /** What is wrong with the upload, and what the back office does. */
  description: string;
  /** The name it is uploaded under: `LotStockExported_20261203_18MM00.zip`, a minute apart per case. */
  fileName: string;
  /** The zip as uploaded. */
  bytes: Buffer;
  expect: CaseExpectation;
}

/** What building one case needs. */
export interface CaseInput {
  mapping: Mapping;
  fileName: string;
  /** The ids of movements 1, 2 and 3. */
  ids: string[];
  /** The header, then movements 1, 2 and 3 (lines 2, 3, 4), as text without line endings. */
  lines: string[];
  /** 8 MiB of zeros, shared by the zip bombs. */
  bomb: Buffer;
}

/** What a definition builds: the bytes and the expectation. */
export type CaseBuild = Pick<BadInputCase, 'bytes' | 'expect'>;

/** A case as written in the corpus: its name and description, and how to build it. */
export interface CaseDefinition {
  name: string;
  description: string;
  build: (input: CaseInput) => CaseBuild | Promise<CaseBuild>;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** An anomaly on a line of a file of the zip: `<zip>/<file>:<line>: <reason>`. */
export function onLine(input: CaseInput, line: number, reason: RegExp, file = 'MVTSTOCK.txt'): RegExp {
  return new RegExp(`^${escaped(`${input.fileName}/${file}:${line}: `)}${reason.source}`);
}

/**
 * The zip left in the inbox with one anomaly; the reason names the zip, or
 * the zip and `where` inside it (`/MVTSTOCK.txt:1`), then `reason`.
 */
export function leftInInbox(input: CaseInput, reason: RegExp, where = ''): CaseExpectation {
  const zip = input.fileName;
  const prefix = `${zip}: cannot be read, left in the inbox for a later import: ${zip}${where}: `;
  return {
    zipLeftInInbox: true, movementsImported: 0, movementIds: [], stockChange: 0,
    anomalies: [new RegExp(`^${escaped(prefix)}${reason.source}`)],
  };
}

/** The zip imported: movements `good` (of 1, 2, 3) applied, the others reported as `anomalies`. */
export function imported(input: CaseInput, good: readonly number[],
  anomalies: RegExp[] = []): CaseExpectation {
  return {
    zipLeftInInbox: false,
    movementsImported: good.length,
    movementIds: good.map((movement) => input.ids[movement - 1]!),
    stockChange: -good.reduce((sum, quantity) => sum + quantity, 0),
    anomalies,
  };
}

/** The lines with movement `movement` (1 to 3) changed by `change`. */
export function spoil(input: CaseInput, movement: number, change: (line: string) => string): string[] {
  return input.lines.map((line, index) => (index === movement ? change(line) : line));
}

/** The lines with the comment (the last field, empty) of movement `movement` set to `comment`. */
export function withComment(input: CaseInput, movement: number, comment: string): string[] {
  return spoil(input, movement, (line) => line.replace(/;$/, `;${comment}`));
}

/** The lines with the quantity of movement `movement` (written `2,000`) written `quantity`. */
export function withQuantity(input: CaseInput, movement: number, quantity: string): string[] {
  return spoil(input, movement, (line) => line.replace(`;${movement},000;`, `;${quantity};`));
}

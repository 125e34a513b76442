/**
 * One movement upload applied to the BO's stock, in one SQLite transaction:
 * the lots the device created, then each movement line (checked, applied by
 * the stock rules, recorded in the journal), then the lot information. A bad
 * line becomes an anomaly naming the file inside the zip, the line and the
 * reason; the good lines are applied. The journal's unique (device, movement
 * id) key makes a second import of the same movement change nothing.
 *
 * Stock rules: E adds at DEP_CODE/EMP_CODE; S takes there; T takes there and
 * adds at DEP_CODE_DEST/EMP_CODE_DEST; I sets the quantity there to the one
 * counted. An exit or transfer that would leave the stock line below zero is
 * refused when the settings say `negativeStock: refuse`; with `allow` it is
 * applied and the log notes the negative quantity.
 */
import type { DecodedUpload } from '../exchange/index.ts';
import type { DecodedTable, Mapping, Row } from '../exchange/types.ts';
import type { BoDatabase } from './database.ts';
import { LotStock, roundQuantity } from './lot-stock.ts';
import { MovementCheck, textOf, type CheckedMovement } from './movement-check.ts';
import type { EstockSettings } from './settings.ts';
import type { Anomaly } from './types.ts';

/** What applying an upload did. */
export interface UploadOutcome {
  /** The movements applied, as the upload carried them, in file order. */
  applied: Row[];
  anomalies: Anomaly[];
  /** What the import log tells beside the anomalies: negative stock, vintages changed. */
  notes: string[];
  /** Lots of the lots file taken in. */
  lots: number;
  /** Lot information rows taken in. */
  lotInformation: number;
}

/** Who imports what, for the journal and the messages. */
export interface UploadSource {
  deviceId: string;
  zipName: string;
  /** 'YYYY-MM-DDTHH:mm:ss', the BO's clock. */
  importedAt: string;
}

/** The rules an upload is applied by. */
export interface UploadRules {
  /** The settings' `negativeStock`: whether an exit or transfer may leave a stock line below zero. */
  negativeStock: EstockSettings['negativeStock'];
  /**
   * The same bytes were imported before: the lots and lot information are
   * not taken again (they would undo what later zips changed); the
   * movements are checked again, and those imported then are refused.
   */
  importedBefore: boolean;
}

/** What the steps of one upload share. */
interface Step {
  db: BoDatabase;
  stock: LotStock;
  check: MovementCheck;
  source: UploadSource;
  rules: UploadRules;
  outcome: UploadOutcome;
}

const JOURNAL_INSERT = `INSERT INTO stock_movement (device_id, mvt_id, import_file, import_line,
    imported_at, type_mvt, art_code, lot_code, dep_code, emp_code, dep_code_dest, emp_code_dest,
    quantity, motif_code, row_json)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const LOT_INFORMATION_UPSERT =
  'INSERT OR REPLACE INTO LOTSTOCKILINK (LOT_CODE, INFO_CODE, VALEUR) VALUES (?, ?, ?)';

function lineProblems(table: DecodedTable): Anomaly[] {
  return table.problems.map((problem) => ({
    file: problem.file,
    line: problem.line,
    reason: problem.column === undefined ? problem.reason : `${problem.column}: ${problem.reason}`,
  }));
}

function takeLots(step: Step, table: DecodedTable, file: string): void {
  const { stock, outcome } = step;
  for (const { line, row } of table.rows) {
    const lot = textOf(row, 'LOT_CODE');
    const article = textOf(row, 'ART_CODE');
    const vintage = typeof row.MILLESIME === 'number' ? row.MILLESIME : null;
    const known = stock.lot(lot);
    if (!step.check.isArticle(article)) {
      const reason = `lot ${lot}: unknown article ${article} (not in ARTICLE)`;
      outcome.anomalies.push({ file, line, reason });
      continue;
    }
    if (known !== undefined && known.article !== article) {
      const reason = `lot ${lot} is of article ${known.article}, not ${article}`;
      outcome.anomalies.push({ file, line, reason });
      continue;
    }

    if (!stock.hasStockLine(lot)) {
      const created = typeof row.DATE_CREATION === 'string' ? row.DATE_CREATION : null;
      stock.rememberDeviceLot(lot, { article, vintage, created }, step.source.deviceId,
        step.source.zipName);
    } else if (vintage !== null && vintage !== known?.vintage) {
      stock.setVintage(lot, vintage);
      outcome.notes.push(`lot ${lot}: vintage ${known?.vintage ?? 'none'} changed to ${vintage}`);
    }
    outcome.lots += 1;
  }
}

/** Why the settings refuse a movement that would leave its stock line below zero; undefined if they do not. */
function negativeStockRefusal(step: Step, movement: CheckedMovement): string | undefined {
  const { lot, from, quantity } = movement;
  if (step.rules.negativeStock === 'allow' || (movement.type !== 'S' && movement.type !== 'T')) return undefined;
  const stock = step.stock.quantityAt(lot, from);
  const left = roundQuantity(stock - quantity);
  if (left >= 0) return undefined;
  const what = movement.type === 'S' ? 'exit' : 'transfer';
  return `${what} ${movement.id} of ${quantity} from lot ${lot} at ${from.depot}/${from.location} would leave ` +
    `${left} there (stock ${stock}): refused, the settings do not allow negative stock (negativeStock: refuse)`;
}

/** Applies a checked movement; returns what the log should note. */
function applyMovement(stock: LotStock, movement: CheckedMovement): string | undefined {
  const { lot, from, quantity, facts, day } = movement;
  switch (movement.type) {
    case 'E':
      stock.add(lot, from, quantity, facts, day);
      return undefined;
    case 'I':
      stock.set(lot, from, quantity, facts, day);
      return undefined;
    case 'S':
    case 'T': {
      const left = stock.add(lot, from, -quantity, facts, day);
      if (movement.to !== undefined) stock.add(lot, movement.to, quantity, facts, day);
      return left < 0 ? `movement ${movement.id}: lot ${lot} at ${from.depot}/${from.location} is now ${left}`
        : undefined;
    }
  }
}

function takeMovements(step: Step, table: DecodedTable, file: string): void {
  const journal = step.db.prepare(JOURNAL_INSERT);
  const { source, outcome } = step;
  for (const { line, row } of table.rows) {
    const movement = step.check.check(row);
    if (typeof movement === 'string') {
      outcome.anomalies.push({ file, line, reason: movement });
      continue;
    }
    const refusal = negativeStockRefusal(step, movement);
    if (refusal !== undefined) {
      outcome.anomalies.push({ file, line, reason: refusal });
      continue;
    }
    const note = applyMovement(step.stock, movement);
    if (note !== undefined) outcome.notes.push(note);
    journal.run(source.deviceId, movement.id, source.zipName, line, source.importedAt,
      movement.type, movement.facts.article, movement.lot, movement.from.depot,
      movement.from.location, movement.to?.depot ?? null, movement.to?.location ?? null,
      movement.quantity, textOf(row, 'MOTIF_CODE'), JSON.stringify(row));
    outcome.applied.push(row);
  }
}

function takeLotInformation(step: Step, table: DecodedTable, file: string): void {
  const upsert = step.db.prepare(LOT_INFORMATION_UPSERT);
  for (const { line, row } of table.rows) {
    const lot = textOf(row, 'LOT_CODE');
    const info = textOf(row, 'INFO_CODE');
    if (step.stock.lot(lot) === undefined) {
      step.outcome.anomalies.push({ file, line, reason: `information ${info} on unknown lot ${lot}` });
      continue;
    }
    upsert.run(lot, info, typeof row.VALEUR === 'string' ? row.VALEUR : null);
    step.outcome.lotInformation += 1;
  }
}

/**
 * Applies a decoded upload in one transaction (rolled back whole if SQLite
 * fails, or if `within` throws: it runs last, inside the same transaction).
 * Anomalies come by file (lots, movements, lot information), then line.
 */
export function applyUpload(db: BoDatabase, mapping: Mapping, source: UploadSource,
  upload: DecodedUpload, rules: UploadRules, within: (outcome: UploadOutcome) => void = () => undefined):
  UploadOutcome {
  const file = (part: keyof DecodedUpload): string => `${source.zipName}/${mapping.upload[part].file}`;
  const outcome: UploadOutcome = { applied: [], anomalies: [], notes: [], lots: 0, lotInformation: 0 };
  outcome.anomalies.push(...lineProblems(upload.lots), ...lineProblems(upload.movements),
    ...lineProblems(upload.lotInformation));

  db.transaction(() => {
    const stock = new LotStock(db);
    const check = new MovementCheck(db, source.deviceId, stock, mapping.upload.lots.file);
    const step: Step = { db, stock, check, source, rules, outcome };
    if (!rules.importedBefore) takeLots(step, upload.lots, file('lots'));
    takeMovements(step, upload.movements, file('movements'));
    if (!rules.importedBefore) takeLotInformation(step, upload.lotInformation, file('lotInformation'));
    const order = [file('lots'), file('movements'), file('lotInformation')];
    outcome.anomalies.sort((a, b) => order.indexOf(a.file ?? '') - order.indexOf(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0));
    within(outcome);
  })();
  return outcome;
}

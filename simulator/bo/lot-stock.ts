/**
 * The BO's stock as the import changes it: LOTSTOCK rows per (lot, depot,
 * location), and the lots devices created (device_lot) that have no stock
 * line yet. Quantities are rounded to 3 decimals after each change.
 */
import type { BoDatabase } from './database.ts';

/** A place in the stock: a depot and one of its locations. */
export interface Place {
  depot: string;
  location: string;
}

/** What the BO knows of a lot, copied onto each new stock line of it. */
export interface LotFacts {
  article: string;
  vintage: number | null;
  /** 'YYYY-MM-DD', or null when unknown. */
  created: string | null;
  /** STOCRIT1 and STOCRIT2 of its stock lines. */
  criteria: [string | null, string | null];
}

/** Rounds a quantity to the 3 decimals stock is kept in (never -0). */
export function roundQuantity(quantity: number): number {
  return Math.round(quantity * 1000) / 1000 + 0;
}

interface StockRow {
  ART_CODE: string;
  MILLESIME: number | null;
  DATE_CREATION: string | null;
  STOCRIT1: string | null;
  STOCRIT2: string | null;
}

interface DeviceLotRow {
  art_code: string;
  millesime: number | null;
  date_creation: string | null;
}

const SQL = {
  line: `SELECT ART_CODE, MILLESIME, DATE_CREATION, STOCRIT1, STOCRIT2 FROM LOTSTOCK
    WHERE LOT_CODE = ? ORDER BY DEP_CODE, EMP_CODE LIMIT 1`,
  deviceLot: 'SELECT art_code, millesime, date_creation FROM device_lot WHERE lot_code = ?',
  quantity: 'SELECT QUANTITE FROM LOTSTOCK WHERE LOT_CODE = ? AND DEP_CODE = ? AND EMP_CODE = ?',
  upsertLine: `INSERT INTO LOTSTOCK (LOT_CODE, ART_CODE, DEP_CODE, EMP_CODE, MILLESIME,
      QUANTITE, DATE_CREATION, STOCRIT1, STOCRIT2)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (LOT_CODE, DEP_CODE, EMP_CODE) DO UPDATE SET QUANTITE = excluded.QUANTITE`,
  vintage: 'UPDATE LOTSTOCK SET MILLESIME = ? WHERE LOT_CODE = ?',
  upsertDeviceLot: `INSERT OR REPLACE INTO device_lot
    (lot_code, art_code, millesime, date_creation, device_id, import_file) VALUES (?, ?, ?, ?, ?, ?)`,
};

/** Reads and changes the stock inside the caller's transaction. */
export class LotStock {
  private readonly findLine;
  private readonly findDeviceLot;
  private readonly findQuantity;
  private readonly upsertLine;
  private readonly updateVintage;
  private readonly upsertDeviceLot;

  constructor(db: BoDatabase) {
    this.findLine = db.prepare<[string], StockRow>(SQL.line);
    this.findDeviceLot = db.prepare<[string], DeviceLotRow>(SQL.deviceLot);
    this.findQuantity = db.prepare<[string, string, string], { QUANTITE: number }>(SQL.quantity);
    this.upsertLine = db.prepare(SQL.upsertLine);
    this.updateVintage = db.prepare(SQL.vintage);
    this.upsertDeviceLot = db.prepare(SQL.upsertDeviceLot);
  }

  /** The lot from any of its stock lines, else from the lots devices created; undefined if unknown. */
  lot(code: string): LotFacts | undefined {
    const line = this.findLine.get(code);
    if (line !== undefined) {
      return { article: line.ART_CODE, vintage: line.MILLESIME, created: line.DATE_CREATION,
        criteria: [line.STOCRIT1, line.STOCRIT2] };
    }
    const created = this.findDeviceLot.get(code);
    if (created === undefined) return undefined;
    return { article: created.art_code, vintage: created.millesime,
      created: created.date_creation, criteria: [null, null] };
  }

  /** Whether the lot has at least one stock line. */
  hasStockLine(code: string): boolean {
    return this.findLine.get(code) !== undefined;
  }

  /** The quantity of a lot at a place; 0 when there is no line. */
  quantityAt(lot: string, place: Place): number {
    return this.findQuantity.get(lot, place.depot, place.location)?.QUANTITE ?? 0;
  }

  /**
   * Sets the quantity at a place, creating the line from `facts` (created on
   * `date` when the lot has no creation date) if needed; returns the quantity kept.
   */
  set(lot: string, place: Place, quantity: number, facts: LotFacts, date: string): number {
    const rounded = roundQuantity(quantity);
    this.upsertLine.run(lot, facts.article, place.depot, place.location, facts.vintage, rounded,
      facts.created ?? date, facts.criteria[0], facts.criteria[1]);
    return rounded;
  }

  /** Adds `delta` (negative to take) at a place; returns the quantity kept. */
  add(lot: string, place: Place, delta: number, facts: LotFacts, date: string): number {
    return this.set(lot, place, this.quantityAt(lot, place) + delta, facts, date);
  }

  /** Gives every stock line of a lot a new vintage. */
  setVintage(lot: string, vintage: number): void {
    this.updateVintage.run(vintage, lot);
  }

  /** Remembers a lot a device created; once the lot has stock lines, lot() reads them instead. */
  rememberDeviceLot(lot: string, facts: Omit<LotFacts, 'criteria'>, deviceId: string,
    file: string): void {
    this.upsertDeviceLot.run(lot, facts.article, facts.vintage, facts.created, deviceId, file);
  }
}

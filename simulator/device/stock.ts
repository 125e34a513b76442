/**
 * The device's local stock: LOTSTOCK rows per (lot, depot, location), and the
 * stock rules shared with the BO import (see the mapping's TYPE_MVT): E adds,
 * S takes, T takes here and adds there, I sets the quantity counted. Every
 * quantity is rounded to 3 decimals after each change.
 */
import type { DeviceStore } from './store.ts';
import type { StockLine } from './types.ts';

/** The movement type codes of TYPE_MVT and MVSMOTIF.SENS. */
export type MovementCode = 'E' | 'S' | 'T' | 'I';

/** A place in the stock: a depot and one of its locations. */
export interface Place {
  depot: string;
  location: string;
}

/** One change of the local stock, as a movement makes it. */
export interface StockChange {
  code: MovementCode;
  lot: string;
  article: string;
  vintage: number | null;
  from: Place;
  /** Transfers only. */
  to?: Place;
  quantity: number;
  /** 'YYYY-MM-DD': DATE_CREATION of a stock line the change creates. */
  date: string;
}

/** What the stock knows of a lot: its article and vintage. */
export interface LotFacts {
  article: string;
  vintage: number | null;
}

/** Rounds a quantity to the 3 decimals stock is kept in. */
export function roundQuantity(quantity: number): number {
  return Math.round(quantity * 1000) / 1000;
}

/** The article and vintage of a lot from any of its stock lines, or undefined if it has none. */
export function lotInStock(store: DeviceStore, lot: string): LotFacts | undefined {
  const row = store.db
    .prepare<[string], { ART_CODE: string; MILLESIME: number | null }>(
      'SELECT ART_CODE, MILLESIME FROM LOTSTOCK WHERE LOT_CODE = ? ORDER BY DEP_CODE, EMP_CODE LIMIT 1')
    .get(lot);
  return row === undefined ? undefined : { article: row.ART_CODE, vintage: row.MILLESIME };
}

/** The quantity of a lot at a place; 0 when there is no line. */
export function quantityAt(store: DeviceStore, lot: string, place: Place): number {
  const row = store.db
    .prepare<[string, string, string], { QUANTITE: number }>(
      'SELECT QUANTITE FROM LOTSTOCK WHERE LOT_CODE = ? AND DEP_CODE = ? AND EMP_CODE = ?')
    .get(lot, place.depot, place.location);
  return row?.QUANTITE ?? 0;
}

/** Sets every stock line of a lot to a new vintage. */
export function setLotVintage(store: DeviceStore, lot: string, vintage: number): void {
  store.db.prepare('UPDATE LOTSTOCK SET MILLESIME = ? WHERE LOT_CODE = ?').run(vintage, lot);
}

/** Sets one piece of information of a lot in the received LOTSTOCKILINK, as the device shows it. */
export function setLocalLotInformation(store: DeviceStore, lot: string, code: string, value: string | null): void {
  store.db
    .prepare('INSERT OR REPLACE INTO LOTSTOCKILINK (LOT_CODE, INFO_CODE, VALEUR) VALUES (?, ?, ?)')
    .run(lot, code, value);
}

function setQuantity(store: DeviceStore, change: StockChange, place: Place, quantity: number): void {
  store.db
    .prepare(`INSERT INTO LOTSTOCK (LOT_CODE, ART_CODE, DEP_CODE, EMP_CODE, MILLESIME, QUANTITE, DATE_CREATION)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (LOT_CODE, DEP_CODE, EMP_CODE) DO UPDATE SET QUANTITE = excluded.QUANTITE`)
    .run(change.lot, change.article, place.depot, place.location, change.vintage, roundQuantity(quantity), change.date);
}

function addQuantity(store: DeviceStore, change: StockChange, place: Place, delta: number): void {
  setQuantity(store, change, place, quantityAt(store, change.lot, place) + delta);
}

/** Applies one change to LOTSTOCK, creating the lines it needs; no check of the quantities left. */
export function applyToStock(store: DeviceStore, change: StockChange): void {
  switch (change.code) {
    case 'E':
      addQuantity(store, change, change.from, change.quantity);
      break;
    case 'S':
      addQuantity(store, change, change.from, -change.quantity);
      break;
    case 'T':
      addQuantity(store, change, change.from, -change.quantity);
      if (change.to !== undefined) addQuantity(store, change, change.to, change.quantity);
      break;
    case 'I':
      setQuantity(store, change, change.from, change.quantity);
      break;
  }
}

/** Every stock line, lines at 0 included, by lot, depot and location. */
export function stockLines(store: DeviceStore): StockLine[] {
  return store.db
    .prepare<[], StockLine>(`SELECT LOT_CODE AS lot, ART_CODE AS article, DEP_CODE AS depot,
      EMP_CODE AS location, QUANTITE AS quantity FROM LOTSTOCK ORDER BY LOT_CODE, DEP_CODE, EMP_CODE`)
    .all();
}

/**
 * The checks of one imported movement line against the BO's data: not
 * imported before, from the device whose inbox held it, a known type, reason,
 * article, lot, depot and location, and a quantity the type allows. A line
 * that fails is refused with the first reason found; the others are applied.
 */
import type { Row } from '../exchange/types.ts';
import type { BoDatabase } from './database.ts';
import { roundQuantity, type LotFacts, type LotStock, type Place } from './lot-stock.ts';

/** The movement types of TYPE_MVT (and MVSMOTIF.SENS): entry, exit, transfer, inventory. */
export type MovementType = 'E' | 'S' | 'T' | 'I';

const MOVEMENT_TYPES: readonly string[] = ['E', 'S', 'T', 'I'];

/** A movement line that passed every check. */
export interface CheckedMovement {
  id: string;
  type: MovementType;
  lot: string;
  facts: LotFacts;
  from: Place;
  /** Transfers only. */
  to?: Place;
  /** Rounded to 3 decimals. */
  quantity: number;
  /** 'YYYY-MM-DD': the day of the movement, the creation date of a stock line it creates. */
  day: string;
}

/** A text value of a row; '' when empty. */
export function textOf(row: Row, column: string): string {
  const value = row[column];
  return typeof value === 'string' ? value : '';
}

interface JournalEntry {
  import_file: string;
  import_line: number;
  imported_at: string;
}

const SQL = {
  journal: `SELECT import_file, import_line, imported_at FROM stock_movement
    WHERE device_id = ? AND mvt_id = ?`,
  reason: 'SELECT SENS FROM MVSMOTIF WHERE MOTIF_CODE = ?',
  article: 'SELECT ART_CODE FROM ARTICLE WHERE ART_CODE = ?',
  depot: 'SELECT DEP_CODE FROM DEPOT WHERE DEP_CODE = ?',
  location: 'SELECT EMP_CODE FROM EMPLACEMENT WHERE DEP_CODE = ? AND EMP_CODE = ?',
};

function quantityOf(row: Row, type: MovementType): number | string {
  const quantity = row.QUANTITE;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) {
    return `quantity ${String(quantity)} is not a number`;
  }
  if (type === 'I' ? quantity < 0 : quantity <= 0) {
    const expected = type === 'I' ? '0 or more' : 'more than 0';
    return `quantity ${quantity} for a movement of type ${type}: expected ${expected}`;
  }
  return roundQuantity(quantity);
}

/** Checks the movement lines of one zip for one device, inside the zip's transaction. */
export class MovementCheck {
  private readonly findJournal;
  private readonly findReason;
  private readonly findArticle;
  private readonly findDepot;
  private readonly findLocation;

  /** `lotsFile` names the upload's lots file in messages. */
  constructor(db: BoDatabase, private readonly deviceId: string,
    private readonly stock: LotStock, private readonly lotsFile: string) {
    this.findJournal = db.prepare<[string, string], JournalEntry>(SQL.journal);
    this.findReason = db.prepare<[string], { SENS: string }>(SQL.reason);
    this.findArticle = db.prepare<[string], { ART_CODE: string }>(SQL.article);
    this.findDepot = db.prepare<[string], { DEP_CODE: string }>(SQL.depot);
    this.findLocation = db.prepare<[string, string], { EMP_CODE: string }>(SQL.location);
  }

  /** Whether the article is in ARTICLE. */
  isArticle(code: string): boolean {
    return this.findArticle.get(code) !== undefined;
  }

  /** The checked movement, or the reason it is refused. */
  check(row: Row): CheckedMovement | string {
    const id = textOf(row, 'MVT_ID');
    const earlier = this.findJournal.get(this.deviceId, id);
    if (earlier !== undefined) {
      return `movement ${id} already imported (${earlier.import_file} ` +
        `line ${earlier.import_line}, ${earlier.imported_at}): not applied again`;
    }
    const device = textOf(row, 'DEVICE_ID');
    if (device !== this.deviceId) {
      return `DEVICE_ID ${device} is not ${this.deviceId}, the device whose inbox holds the file`;
    }
    const type = textOf(row, 'TYPE_MVT');
    if (!MOVEMENT_TYPES.includes(type)) {
      return `movement type (TYPE_MVT) "${type}" is not E, S, T or I`;
    }

    const reasonProblem = this.reasonProblem(textOf(row, 'MOTIF_CODE'), type);
    if (reasonProblem !== undefined) return reasonProblem;
    const facts = this.lotFacts(row);
    if (typeof facts === 'string') return facts;
    const places = this.places(row, type as MovementType);
    if (typeof places === 'string') return places;
    const quantity = quantityOf(row, type as MovementType);
    if (typeof quantity === 'string') return quantity;

    const lot = textOf(row, 'LOT_CODE');
    const day = textOf(row, 'DATE_MVT').slice(0, 10);
    return { id, type: type as MovementType, lot, facts, ...places, quantity, day };
  }

  private reasonProblem(reason: string, type: string): string | undefined {
    const found = this.findReason.get(reason);
    if (found === undefined) return `unknown reason ${reason} (not in MVSMOTIF)`;
    if (found.SENS !== type) {
      return `reason ${reason} is for movements of type ${found.SENS}, not ${type}`;
    }
    return undefined;
  }

  private lotFacts(row: Row): LotFacts | string {
    const article = textOf(row, 'ART_CODE');
    if (!this.isArticle(article)) return `unknown article ${article} (not in ARTICLE)`;
    const lot = textOf(row, 'LOT_CODE');
    const facts = this.stock.lot(lot);
    if (facts === undefined) {
      return `unknown lot ${lot}: neither in the back office nor in the upload's ${this.lotsFile}`;
    }
    if (facts.article !== article) {
      return `lot ${lot} is of article ${facts.article}, not ${article}`;
    }
    return facts;
  }

  /** `what`: '', 'source ' or 'destination '. */
  private placeProblem(place: Place, what: string): string | undefined {
    const { depot, location } = place;
    if (this.findDepot.get(depot) === undefined) {
      return `unknown ${what}depot "${depot}" (not in DEPOT)`;
    }
    if (location === '') return `no ${what}location in depot ${depot}: every stock line has one`;
    if (this.findLocation.get(depot, location) === undefined) {
      return `unknown ${what}location ${location} in depot ${depot} (not in EMPLACEMENT)`;
    }
    return undefined;
  }

  private places(row: Row, type: MovementType): { from: Place; to?: Place } | string {
    const from = { depot: textOf(row, 'DEP_CODE'), location: textOf(row, 'EMP_CODE') };
    const fromProblem = this.placeProblem(from, type === 'T' ? 'source ' : '');
    if (fromProblem !== undefined) return fromProblem;
    if (type !== 'T') return { from };

    const to = { depot: textOf(row, 'DEP_CODE_DEST'), location: textOf(row, 'EMP_CODE_DEST') };
    const toProblem = this.placeProblem(to, 'destination ');
    if (toProblem !== undefined) return toProblem;
    if (to.depot === from.depot && to.location === from.location) {
      return `transfer from ${from.depot}/${from.location} to the same place`;
    }
    return { from, to };
  }
}

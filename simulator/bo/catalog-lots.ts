/**
 * The lots of the generated catalog and where they lie (LOTSTOCK), with the
 * information attached to some of them (LOTSTOCKILINK). Lot codes and places
 * follow the rules of the catalog, from the article number alone:
 * article n (not a multiple of 10) has 1 + (n % 3) lots LOT<n>-<k>, lot k
 * lying in depot (n + k) % depots and location (n * 7 + k) % locations.
 */
import type { Row } from '../exchange/types.ts';
import type { ArticlePlan } from './catalog-articles.ts';
import { KINDS, saleUnitOf, type KindName } from './catalog-kinds.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Where stock can lie: the depot codes in order, and how many locations each has. */
export interface StockLayout {
  depots: readonly string[];
  locationsPerDepot: number;
}

/** A place in the stock. */
export interface Place {
  depot: string;
  location: string;
}

/** How many lots article number `n` has: none for multiples of 10, else 1 + (n % 3). */
export function lotCount(n: number): number {
  return n % 10 === 0 ? 0 : 1 + (n % 3);
}

/** LOT0001-1...: the article's number as its code writes it, then the lot's rank (from 1). */
export function lotCode(articleCode: string, k: number): string {
  return `LOT${articleCode.slice(3)}-${k}`;
}

/** A01, A02...: 2 digits, more when a depot has more than 99 locations. */
export function locationCode(index: number, locationsPerDepot: number): string {
  const width = Math.max(2, String(locationsPerDepot).length);
  return `A${String(index + 1).padStart(width, '0')}`;
}

/** The place of lot k of article n. */
export function lotPlace(n: number, k: number, layout: StockLayout): Place {
  const { depots, locationsPerDepot } = layout;
  return {
    depot: depots[(n + k) % depots.length] ?? '',
    location: locationCode((n * 7 + k) % locationsPerDepot, locationsPerDepot),
  };
}

function quantityOf(random: SeededRandom, plan: ArticlePlan): number {
  if (plan.kind === 'bulk') return random.int(500_000, 25_000_000) / 1000;
  if (plan.kind === 'gift') return random.int(5, 150);
  const isMagnum = saleUnitOf(plan.number).code === 'MAG';
  return isMagnum ? random.int(3, 240) : random.int(6, 1800);
}

function lotState(random: SeededRandom): string {
  const draw = random.int(1, 100);
  return draw <= 85 ? 'CONF' : draw <= 95 ? 'ACTRL' : 'BLOQ';
}

function frenchDate(random: SeededRandom, year: number): string {
  const [yyyy, mm, dd] = random.date(year).split('-');
  return `${dd}/${mm}/${yyyy}`;
}

function strength(random: SeededRandom, min: number, max: number): string {
  return `${random.step(min, max, 0.1).toFixed(1).replace('.', ',')} % vol.`;
}

const WINE_KINDS: readonly KindName[] = ['red', 'white', 'rose', 'sweet', 'cremant', 'champagne'];

function lotInformation(random: SeededRandom, lot: string, kind: KindName, year: number): Row[] {
  const info = (code: string, value: string): Row => ({ LOT_CODE: lot, INFO_CODE: code, VALEUR: value });
  if (WINE_KINDS.includes(kind)) {
    return [
      info('TAV_ANALYSE', strength(random, 11.5, 14.5)),
      info('SO2_TOTAL', `${random.int(40, 150)} mg/l`),
      info('MISE_BOUTEILLE', frenchDate(random, year)),
    ];
  }
  if (kind === 'bulk') {
    return [info('TAV_ANALYSE', strength(random, 12, 14)),
      info('CUVE', `Cuve inox n° ${random.int(1, 40)} (${random.int(50, 300)} hl)`)];
  }
  if (kind === 'gift') {
    return [info('PREPARATION', `Coffrets préparés le ${frenchDate(random, year)}`)];
  }
  return [info('TAV_ANALYSE', strength(random, 18, 45)),
    info('FUT', `Fût de chêne de ${random.pick([225, 350, 400])} L`)];
}

/** Generates LOTSTOCK and LOTSTOCKILINK for the articles planned. */
export function generateLots(random: SeededRandom, plans: readonly ArticlePlan[],
  layout: StockLayout): Map<string, Row[]> {
  const stock: Row[] = [];
  const information: Row[] = [];
  for (const plan of plans) {
    for (let k = 1; k <= lotCount(plan.number); k++) {
      const lot = lotCode(plan.code, k);
      const place = lotPlace(plan.number, k, layout);
      const vintage = plan.vintage === null ? null : plan.vintage - (k - 1);
      const year = vintage === null ? random.int(2019, 2024) : vintage + 1;
      stock.push({
        LOT_CODE: lot, ART_CODE: plan.code, DEP_CODE: place.depot, EMP_CODE: place.location,
        MILLESIME: vintage, QUANTITE: quantityOf(random, plan), DATE_CREATION: random.date(year),
        STOCRIT1: lotState(random),
        STOCRIT2: saleUnitOf(plan.number).code === 'MAG' ? 'MAG' : KINDS[plan.kind].packing,
      });
      if ((plan.number + k) % 4 === 0) {
        information.push(...lotInformation(random, lot, plan.kind, year));
      }
    }
  }
  return new Map([['LOTSTOCK', stock], ['LOTSTOCKILINK', information]]);
}

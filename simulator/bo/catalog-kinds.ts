/**
 * The kinds of article of the simulated estate (red wine, champagne, brandy,
 * gift box...) and what each kind fixes: family, fiscal type, sale unit and
 * the ranges the seed draws degrees and vintages from. An article's kind and
 * sale unit follow from its number alone, so the keys of every table that
 * depends on them (packaging, article links) do not change with the seed.
 */
import { APPELLATIONS, GRAPES, type Word } from './catalog-words.ts';

/** The kinds of article. */
export type KindName =
  | 'red' | 'bulk' | 'white' | 'rose' | 'sweet'
  | 'cremant' | 'champagne' | 'brandy' | 'liqueur' | 'gift';

/** What a kind fixes. */
export interface Kind {
  family: string;
  fiscalType: string;
  /** Drawn from `min` to `max` by `step`; null for no degree (gift boxes). */
  degree: { min: number; max: number; step: number } | null;
  /** The first vintage a lot may have and the last; null for no vintage. */
  vintage: { from: number; to: number } | null;
  colours: readonly string[];
  appellations: readonly Word[];
  grapes: readonly Word[];
  /** How it is aged (ARTCRITERIA4 codes); empty for none. */
  ageing: readonly string[];
  /** Words after the appellation in a label, in French and in English. */
  french: string;
  english: string;
  /** STOCRIT2 of its lots (Conditionnement). */
  packing: string;
}

const WINE_AGEING = ['FUT', 'CUVE', 'AMPH', 'FOUDRE', 'LIES'] as const;

function degrees(min: number, max: number): Kind['degree'] {
  return { min, max, step: 0.5 };
}

/** Every kind. */
export const KINDS: Readonly<Record<KindName, Kind>> = {
  red: {
    family: 'ROUGE', fiscalType: 'VT', degree: degrees(12.5, 15), vintage: { from: 2012, to: 2023 },
    colours: ['R'], appellations: APPELLATIONS.red, grapes: GRAPES.red, ageing: WINE_AGEING,
    french: 'rouge', english: 'red wine', packing: 'BOUT',
  },
  bulk: {
    family: 'VRAC', fiscalType: 'VT', degree: degrees(12, 14), vintage: { from: 2022, to: 2024 },
    colours: ['R', 'B'], appellations: [...APPELLATIONS.red, ...APPELLATIONS.white],
    grapes: [...GRAPES.red, ...GRAPES.white], ageing: ['CUVE'],
    french: 'en vrac', english: 'bulk wine', packing: 'VRAC',
  },
  white: {
    family: 'BLANC', fiscalType: 'VT', degree: degrees(11.5, 13.5), vintage: { from: 2016, to: 2023 },
    colours: ['B'], appellations: APPELLATIONS.white, grapes: GRAPES.white, ageing: WINE_AGEING,
    french: 'blanc', english: 'white wine', packing: 'BOUT',
  },
  rose: {
    family: 'ROSE', fiscalType: 'VT', degree: degrees(12, 13.5), vintage: { from: 2020, to: 2024 },
    colours: ['RS'], appellations: APPELLATIONS.rose, grapes: GRAPES.red, ageing: ['CUVE', 'LIES'],
    french: 'rosé', english: 'rosé wine', packing: 'BOUT',
  },
  sweet: {
    family: 'DOUX', fiscalType: 'VT', degree: degrees(13, 15), vintage: { from: 2009, to: 2021 },
    colours: ['B'], appellations: APPELLATIONS.sweet, grapes: GRAPES.white, ageing: ['FUT', 'CUVE'],
    french: 'liquoreux', english: 'sweet wine', packing: 'BOUT',
  },
  cremant: {
    family: 'CREMANT', fiscalType: 'VM', degree: degrees(11.5, 12.5), vintage: { from: 2018, to: 2022 },
    colours: ['B', 'RS'], appellations: APPELLATIONS.sparkling.slice(1), grapes: GRAPES.white,
    ageing: ['LIES'], french: 'brut', english: 'sparkling wine', packing: 'LATTES',
  },
  champagne: {
    family: 'CHAMP', fiscalType: 'VM', degree: degrees(12, 12.5), vintage: { from: 2008, to: 2018 },
    colours: ['B'], appellations: APPELLATIONS.sparkling.slice(0, 1), grapes: GRAPES.white,
    ageing: ['LIES', 'FUT'], french: 'brut', english: 'champagne', packing: 'BOUT',
  },
  brandy: {
    family: 'EAUVIE', fiscalType: 'ALC', degree: degrees(40, 45), vintage: null,
    colours: ['AMB', 'INC'], appellations: APPELLATIONS.spirit, grapes: [], ageing: ['FUT'],
    french: '', english: 'brandy', packing: 'BOUT',
  },
  liqueur: {
    family: 'LIQUEUR', fiscalType: 'PI', degree: degrees(15, 22), vintage: null,
    colours: ['AMB', 'R'], appellations: [], grapes: [], ageing: [],
    french: '', english: 'liqueur', packing: 'BOUT',
  },
  gift: {
    family: 'COFFRET', fiscalType: 'MIXTE', degree: null, vintage: null,
    colours: ['MIX'], appellations: [], grapes: [], ageing: [],
    french: '', english: 'gift box', packing: 'COFF',
  },
};

/** A fixed pattern of 20: 7 red, 1 bulk, 4 white, 2 rosé, then one of each other kind. */
const PATTERN: readonly KindName[] = [
  'red', 'red', 'red', 'red', 'red', 'red', 'red', 'bulk', 'white', 'white', 'white', 'white',
  'rose', 'rose', 'sweet', 'cremant', 'champagne', 'brandy', 'liqueur', 'gift',
];

/** The kind of article number `n` (1-based). */
export function kindOf(n: number): KindName {
  return PATTERN[n % PATTERN.length] as KindName;
}

/** The sale unit of an article and the litres it holds (CONTENANCE). */
export interface SaleUnit {
  code: string;
  litres: number;
  /** As a label writes it, e.g. '75 cl'. */
  label: string;
}

const BOTTLE: SaleUnit = { code: 'BT75', litres: 0.75, label: '75 cl' };
const MAGNUM: SaleUnit = { code: 'MAG', litres: 1.5, label: 'magnum 150 cl' };
const HALF: SaleUnit = { code: 'DEMI', litres: 0.375, label: '37,5 cl' };
const UNIT_BY_KIND: Readonly<Partial<Record<KindName, SaleUnit>>> = {
  bulk: { code: 'LITRE', litres: 1, label: 'au litre' },
  sweet: { code: 'BT50', litres: 0.5, label: '50 cl' },
  brandy: { code: 'BT70', litres: 0.7, label: '70 cl' },
  liqueur: { code: 'BT70', litres: 0.7, label: '70 cl' },
  gift: { code: 'COFFRET', litres: 2.25, label: '3 x 75 cl' },
};

/**
 * The sale unit of article number `n`: fixed for bulk, sweet, spirits and
 * gift boxes; else a magnum when n % 7 is 3, a half bottle when n % 11 is 5
 * (still wines only), a 75 cl bottle otherwise.
 */
export function saleUnitOf(n: number): SaleUnit {
  const kind = kindOf(n);
  const fixed = UNIT_BY_KIND[kind];
  if (fixed !== undefined) return fixed;
  if (n % 7 === 3) return MAGNUM;
  if (n % 11 === 5 && kind !== 'cremant' && kind !== 'champagne') return HALF;
  return BOTTLE;
}

/** The three articles a gift box holds: a red, a white and a rosé of its group of 20. */
export function giftBoxContents(n: number): number[] {
  return [n - 18, n - 10, n - 6];
}

/**
 * The articles of the generated catalog and the tables that hang on them:
 * ARTICLE, ARTDESIGNATION (French, English for one in three), ARTILINK (what
 * a gift box holds), PACKAGEARTICLE, IMAGE and IMAGECRITERIA01. Codes and keys
 * follow from the article number; names, criteria, degrees and dates from the
 * seed.
 */
import type { Row } from '../exchange/types.ts';
import { PACKAGINGS, PACKAGINGS_BY_UNIT, UNDER_FAMILIES } from './catalog-reference.ts';
import {
  giftBoxContents, KINDS, kindOf, saleUnitOf, type Kind, type KindName,
} from './catalog-kinds.ts';
import {
  BRANDIES, CUVEES, ESTATE_KINDS, ESTATE_NAMES, GIFT_BOXES, LIQUEURS,
} from './catalog-words.ts';
import type { SeededRandom } from './seeded-random.ts';

/** What the lot generator needs to know of an article. */
export interface ArticlePlan {
  number: number;
  code: string;
  kind: KindName;
  /** The vintage of its first lot; null for articles without vintage. */
  vintage: number | null;
}

/** The tables of the articles, and one plan per article. */
export interface GeneratedArticles {
  plans: ArticlePlan[];
  tables: Map<string, Row[]>;
}

/** ART0001...: 4 digits, more when the count needs them. */
export function articleCode(n: number, width: number): string {
  return `ART${String(n).padStart(width, '0')}`;
}

interface Names {
  french: string;
  english: string;
}

function names(random: SeededRandom, kind: KindName, appellation: string, unit: string): Names {
  const estate = `${random.pick(ESTATE_KINDS)} ${random.pick(ESTATE_NAMES)}`;
  const english = KINDS[kind].english;
  switch (kind) {
    case 'brandy':
    case 'liqueur': {
      const spirit = `${random.pick(kind === 'brandy' ? BRANDIES : LIQUEURS)}, ${estate}`;
      return { french: `${spirit} ${unit}`, english: `${spirit} ${english} ${unit}` };
    }
    case 'gift': {
      const box = random.pick(GIFT_BOXES);
      return { french: `${box} ${estate}, ${unit}`, english: `${estate} ${english}, ${unit}` };
    }
    case 'bulk':
      return {
        french: `Vin en vrac ${appellation} - ${estate}`,
        english: `${appellation} ${english} - ${estate}`,
      };
    default: {
      const wine = `${estate} ${random.pick(CUVEES)}, ${appellation}`;
      return { french: `${wine} ${KINDS[kind].french} ${unit}`, english: `${wine} ${english} ${unit}` };
    }
  }
}

function optionalPick(random: SeededRandom, codes: readonly string[]): string | null {
  return codes.length === 0 ? null : random.pick(codes);
}

function grapeOf(random: SeededRandom, kind: Kind): string | null {
  if (kind.grapes.length === 0) return null;
  return random.chance(0.3) ? 'ASSEMB' : random.pick(kind.grapes).code;
}

function degreeOf(random: SeededRandom, kind: Kind): number | null {
  return kind.degree === null ? null : random.step(kind.degree.min, kind.degree.max, kind.degree.step);
}

function articleRow(random: SeededRandom, n: number, code: string): { row: Row; names: Names } {
  const kindName = kindOf(n);
  const kind = KINDS[kindName];
  const unit = saleUnitOf(n);
  const appellation = kind.appellations.length === 0 ? undefined : random.pick(kind.appellations);
  const degree = degreeOf(random, kind);
  const row: Row = {
    ART_CODE: code,
    LIBELLE: '',
    FAM_CODE: kind.family,
    UNF_CODE: random.pick(UNDER_FAMILIES[kind.family] ?? []).code,
    UV_CODE: unit.code,
    TF_CODE: kind.fiscalType,
    CONTENANCE: unit.litres,
    DEGRE: degree,
    GERE_LOT: true,
    ACTIF: true,
    CRIT1: random.pick(kind.colours),
    CRIT2: appellation?.code ?? null,
    CRIT3: grapeOf(random, kind),
    CRIT4: optionalPick(random, kind.ageing),
    DATE_CREATION: random.date(random.int(2010, 2024)),
  };
  const labels = names(random, kindName, appellation?.label ?? '', unit.label);
  row.LIBELLE = labels.french;
  return { row, names: labels };
}

function vintageOf(random: SeededRandom, kindName: KindName): number | null {
  const range = KINDS[kindName].vintage;
  if (range === null) return null;
  // Half the champagnes are « brut sans année »: no vintage.
  if (kindName === 'champagne' && random.chance(0.5)) return null;
  return random.int(range.from, range.to);
}

const UNITS_PER_PACKAGING = new Map(PACKAGINGS.map((pkg) => [pkg.code, pkg.units]));

function addSideRows(tables: Map<string, Row[]>, random: SeededRandom, n: number, width: number): void {
  const push = (table: string, row: Row): void => void tables.get(table)?.push(row);
  const code = articleCode(n, width);
  if (kindOf(n) === 'gift') {
    for (const inside of giftBoxContents(n)) {
      push('ARTILINK', { ART_CODE: code, ART_CODE_LIE: articleCode(inside, width), QUANTITE: 1 });
    }
  }
  for (const pkg of PACKAGINGS_BY_UNIT[saleUnitOf(n).code] ?? []) {
    push('PACKAGEARTICLE', { ART_CODE: code, PKG_CODE: pkg, QUANTITE: UNITS_PER_PACKAGING.get(pkg) ?? 1 });
  }
  if (n % 5 === 2) {
    const updated = random.dateTime(2024);
    push('IMAGE', { IMG_ID: n, ART_CODE: code, FICHIER: `${code}.png`, DATE_MAJ: updated });
    push('IMAGECRITERIA01', { IMG_ID: n, CRIT_CODE: 'BOUTEILLE' });
    if (n % 10 === 2) push('IMAGECRITERIA01', { IMG_ID: n, CRIT_CODE: 'ETIQUETTE' });
  }
}

/** Generates `count` articles numbered from 1, with their side tables. */
export function generateArticles(random: SeededRandom, count: number): GeneratedArticles {
  const width = Math.max(4, String(count).length);
  const tableNames = ['ARTICLE', 'ARTDESIGNATION', 'ARTILINK', 'PACKAGEARTICLE', 'IMAGE',
    'IMAGECRITERIA01'];
  const tables = new Map<string, Row[]>(tableNames.map((name) => [name, []]));
  const designations = tables.get('ARTDESIGNATION') ?? [];
  const plans: ArticlePlan[] = [];
  for (let n = 1; n <= count; n++) {
    const code = articleCode(n, width);
    const { row, names: labels } = articleRow(random, n, code);
    tables.get('ARTICLE')?.push(row);
    designations.push({ ART_CODE: code, LANGUE: 'FR', DESIGNATION: labels.french });
    if (n % 3 === 0) designations.push({ ART_CODE: code, LANGUE: 'EN', DESIGNATION: labels.english });
    addSideRows(tables, random, n, width);
    plans.push({ number: n, code, kind: kindOf(n), vintage: vintageOf(random, kindOf(n)) });
  }
  return { plans, tables };
}

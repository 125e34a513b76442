/**
 * The catalog generator: a whole wine estate's data for the export tables of
 * a mapping, from a size and a seed. The same seed gives the same rows, hence
 * the same exchange zip, byte for byte. Codes (articles, lots, depots,
 * locations, reasons, families...) never depend on the seed; names, vintages,
 * quantities, degrees and dates do (catalog-lots.ts states the lot rules).
 */
import type { Company } from '../company.ts';
import type { Mapping, Row, TableSpec } from '../exchange/types.ts';
import { generateArticles } from './catalog-articles.ts';
import { companyTables } from './catalog-company.ts';
import { generateLots, locationCode, type StockLayout } from './catalog-lots.ts';
import {
  ARTICLE_CRITERIA, DEPOT_TYPES, FAMILIES, FISCAL_TYPES, LOT_CRITERIA, MAIN_DEPOTS,
  PACKAGINGS, PRESENTATIONS, REASONS, SALE_UNITS, UNDER_FAMILIES, UPPER_FAMILIES,
  type Criterion,
} from './catalog-reference.ts';
import { TOWNS, type Word } from './catalog-words.ts';
import { SeededRandom } from './seeded-random.ts';

/**
 * How big a catalog is: small for quick scenarios, large for load, huge (over
 * 200,000 lots) for the back office's benchmark.
 */
export type CatalogSize = 'small' | 'medium' | 'large' | 'huge';

/** How many articles, depots and locations per depot a catalog has. */
export interface CatalogDimensions {
  articles: number;
  depots: number;
  locationsPerDepot: number;
}

/** What each size holds. */
export const CATALOG_SIZES: Readonly<Record<CatalogSize, CatalogDimensions>> = {
  small: { articles: 40, depots: 4, locationsPerDepot: 5 },
  medium: { articles: 2_000, depots: 6, locationsPerDepot: 20 },
  large: { articles: 20_000, depots: 10, locationsPerDepot: 50 },
  huge: { articles: 120_000, depots: 12, locationsPerDepot: 100 },
};

/** The dimensions of a size, or the dimensions given. */
function dimensionsOf(size: CatalogSize | CatalogDimensions): CatalogDimensions {
  return typeof size === 'string' ? CATALOG_SIZES[size] : size;
}

/** The depot codes of a catalog size: CHAI, CAVE, STOCK, EXPE, then DEP05, DEP06... */
export function stockLayout(size: CatalogSize | CatalogDimensions): StockLayout {
  const { depots, locationsPerDepot } = dimensionsOf(size);
  const codes = MAIN_DEPOTS.map((depot) => depot.code);
  for (let n = codes.length + 1; n <= depots; n++) {
    codes.push(`DEP${String(n).padStart(2, '0')}`);
  }
  return { depots: codes.slice(0, depots), locationsPerDepot };
}

function depotTables(random: SeededRandom, layout: StockLayout): [string, Row[]][] {
  const depots: Row[] = [];
  const locations: Row[] = [];
  layout.depots.forEach((code, index) => {
    const main = MAIN_DEPOTS[index];
    const label = main?.label ?? `Entrepôt de ${random.pick(TOWNS).town}`;
    const type = main?.type ?? 'EXT';
    depots.push({ DEP_CODE: code, LIBELLE: label, TDE_CODE: type, GERE_EMPLACEMENT: true });
    for (let i = 0; i < layout.locationsPerDepot; i++) {
      locations.push({
        DEP_CODE: code,
        EMP_CODE: locationCode(i, layout.locationsPerDepot),
        LIBELLE: `${main?.location ?? 'Travée'} ${i + 1}`,
      });
    }
  });
  return [['DEPOT', depots], ['EMPLACEMENT', locations]];
}

/** Rows of a code-and-label table, with the columns `more` adds. */
function labelled<T extends Word>(items: readonly T[], codeColumn: string,
  more: (item: T) => Row = () => ({})): Row[] {
  return items.map((item) => ({ [codeColumn]: item.code, LIBELLE: item.label, ...more(item) }));
}

function referenceTables(): [string, Row[]][] {
  const underFamilies = Object.entries(UNDER_FAMILIES).flatMap(([family, unders]) =>
    labelled(unders, 'UNF_CODE', () => ({ FAM_CODE: family })));
  return [
    ['UPPERFAMILY', labelled(UPPER_FAMILIES, 'UPF_CODE')],
    ['ARTFAMILY', labelled(FAMILIES, 'FAM_CODE', (family) => ({ UPF_CODE: family.upper }))],
    ['UNDERFAMILY', underFamilies],
    ['UNITEVENTE', labelled(SALE_UNITS, 'UV_CODE', (unit) => ({ COEFFICIENT: unit.coefficient }))],
    ['PACKAGING', labelled(PACKAGINGS, 'PKG_CODE', (pkg) => ({ NB_UNITES: pkg.units }))],
    ['TYPEFISCAL', labelled(FISCAL_TYPES, 'TF_CODE')],
    ['TYPEOFDEPOT', labelled(DEPOT_TYPES, 'TDE_CODE')],
    ['ARTPRESENTATION', labelled(PRESENTATIONS, 'PRES_CODE')],
    ['MVSMOTIF', labelled(REASONS, 'MOTIF_CODE', (reason) => ({ SENS: reason.direction }))],
  ];
}

/** The values of a criterion the generator has no words for. */
const GENERIC_VALUES: Word[] = [1, 2, 3].map((n) => ({ code: `V${n}`, label: `Valeur ${n}` }));

/** Criteria tables (<prefix><n>) and their titles, for the numbers the mapping has. */
function criteriaTables(mapping: Mapping, prefix: string, titles: string,
  known: Readonly<Record<number, Criterion>>): [string, Row[]][] {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  const tables: [string, Row[]][] = [];
  const titleRows: Row[] = [];
  for (const spec of mapping.exportTables) {
    const number = Number(pattern.exec(spec.name)?.[1] ?? Number.NaN);
    if (Number.isNaN(number)) continue;
    const criterion = known[number] ?? { title: `Critère ${number}`, values: GENERIC_VALUES };
    tables.push([spec.name, labelled(criterion.values, 'CODE')]);
    titleRows.push({ CRITERIA_NUM: number, LIBELLE: criterion.title });
  }
  tables.push([titles, titleRows]);
  return tables;
}

function compareKeys(spec: TableSpec, a: Row, b: Row): number {
  for (const column of spec.key) {
    const left = a[column] ?? '';
    const right = b[column] ?? '';
    if (left < right) return -1;
    if (left > right) return 1;
  }
  return 0;
}

/**
 * Keeps exactly the spec's columns, in its order (a column the generator has
 * no value for is empty), and orders the rows by key as the database returns
 * them, so that the rows generated are the rows exported.
 */
function fitRows(spec: TableSpec, rows: readonly Row[]): Row[] {
  const columns = spec.columns.map((column) => column.name);
  return rows
    .map((row) => Object.fromEntries(columns.map((name) => [name, row[name] ?? null])))
    .sort((a, b) => compareKeys(spec, a, b));
}

/**
 * Generates the catalog: one entry per export table of the mapping (empty for
 * a table the generator does not know), rows holding exactly its columns,
 * ordered by key. `size` is a size's name, or dimensions of one's own (the
 * benchmark scales the huge catalog so).
 * Deterministic: the same mapping, company, size and seed give the same rows.
 */
export function generateCatalog(mapping: Mapping, company: Company,
  options: { size: CatalogSize | CatalogDimensions; seed: number }): Map<string, Row[]> {
  const random = new SeededRandom(options.seed);
  const layout = stockLayout(options.size);
  const articles = generateArticles(random, dimensionsOf(options.size).articles);
  const generated = new Map<string, Row[]>([
    ...depotTables(random, layout),
    ...referenceTables(),
    ...criteriaTables(mapping, 'ARTCRITERIA', 'ARTDESIGNCRITERIA', ARTICLE_CRITERIA),
    ...criteriaTables(mapping, 'STOCRITERIA', 'STODESIGNCRITERIA', LOT_CRITERIA),
    ...articles.tables,
    ...generateLots(random, articles.plans, layout),
    ...companyTables(random, mapping, company),
  ]);

  return new Map(mapping.exportTables.map((spec) =>
    [spec.name, fitRows(spec, generated.get(spec.name) ?? [])]));
}

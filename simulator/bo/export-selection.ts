/**
 * Which articles and lots an export sends to a device, as SQL, so that the
 * export reads each table's rows straight from SQLite.
 *
 * selectForExport fills two temporary tables of the database connection from
 * the lot selection of the export window and the device's « Critères Articles
 * et Lots » (a lot must match both):
 *
 * - `temp.export_lot (LOT_CODE, DEP_CODE, EMP_CODE)`: the LOTSTOCK lines
 *   selected; a line whose article is not in ARTICLE is never selected;
 * - `temp.export_article (ART_CODE)`: the articles of those lines, and with
 *   the scope `all-articles` (« Tous les articles ») the articles that have
 *   no LOTSTOCK line at all and match the article criteria (article codes,
 *   families); the lot criteria (depot, location, vintage, quantity) do not
 *   apply to an article without lots.
 *
 * Then exportRowsQuery reads each export table through them, by its columns:
 *
 * - LOT_CODE, DEP_CODE and EMP_CODE (LOTSTOCK): the lines selected;
 * - LOT_CODE (LOTSTOCKILINK): the information of the lots selected;
 * - ART_CODE (ARTICLE, ARTDESIGNATION, PACKAGEARTICLE, IMAGE), and
 *   ART_CODE_LIE too when there is one (ARTILINK: a link goes when both its
 *   articles go): the articles selected;
 * - IMG_ID (IMAGECRITERIA01): the images of the articles selected;
 * - any other table (reference tables: families, depots, locations, reasons,
 *   criteria, packagings, company, users, devices...) goes whole: the device
 *   needs every depot and location to move stock into, and every code the
 *   articles use.
 */
import { BackOfficeError } from '../errors.ts';
// Not from index.ts: the export's worker thread (export-worker.ts) loads this file, and only what it needs.
import { lineExpression, vouchedLines } from '../exchange/sql-lines.ts';
import { keyIsUnique } from '../exchange/sqlite.ts';
import type { RowLines } from '../exchange/table-chunks.ts';
import type { Mapping, Row, TableSpec, Value } from '../exchange/types.ts';
import type { BoDatabase } from './database.ts';
import type { ExportOptions, LotSelection } from './types.ts';

/** How an export table is read: the rows of the selected lots or articles, or all of them. */
export type TableFilter = 'lot-line' | 'lot' | 'article' | 'image' | 'whole';

/** A piece of SQL and the values of its `?`. */
export interface SqlPart {
  sql: string;
  params: (string | number)[];
}

/** How many articles and lot lines a selection took. */
export interface SelectionCounts {
  articles: number;
  /** Of those, articles without any lot (scope `all-articles` only). */
  articlesWithoutLots: number;
  lotLines: number;
}

const TEMP_TABLES = `
  CREATE TEMP TABLE IF NOT EXISTS export_article (ART_CODE TEXT PRIMARY KEY);
  CREATE TEMP TABLE IF NOT EXISTS export_lot (LOT_CODE TEXT NOT NULL, DEP_CODE TEXT NOT NULL,
    EMP_CODE TEXT NOT NULL, PRIMARY KEY (LOT_CODE, DEP_CODE, EMP_CODE));
`;

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** How the rows of a table are chosen, from its columns (see the file's comment). */
export function tableFilter(spec: TableSpec): TableFilter {
  const has = (name: string): boolean => spec.columns.some((column) => column.name === name);
  if (has('LOT_CODE') && has('DEP_CODE') && has('EMP_CODE')) return 'lot-line';
  if (has('LOT_CODE')) return 'lot';
  if (has('ART_CODE')) return 'article';
  if (has('IMG_ID')) return 'image';
  return 'whole';
}

const IN_ARTICLES = 'IN (SELECT ART_CODE FROM temp.export_article)';

// The unary + keeps SQLite from driving the query by the temporary table: it reads the export table in key order,
// as the zip wants it, and looks each row up in the temporary table. Driven by it, ARTILINK would try every pair
// of selected articles (20,000 squared for the large catalog).
function whereOf(spec: TableSpec): string {
  switch (tableFilter(spec)) {
    case 'lot-line':
      return ' WHERE (+"LOT_CODE", +"DEP_CODE", +"EMP_CODE") IN ' +
        '(SELECT LOT_CODE, DEP_CODE, EMP_CODE FROM temp.export_lot)';
    case 'lot':
      return ' WHERE +"LOT_CODE" IN (SELECT LOT_CODE FROM temp.export_lot)';
    case 'article': {
      const linked = spec.columns.some((column) => column.name === 'ART_CODE_LIE');
      return ` WHERE +"ART_CODE" ${IN_ARTICLES}${linked ? ` AND +"ART_CODE_LIE" ${IN_ARTICLES}` : ''}`;
    }
    case 'image':
      return ` WHERE +"IMG_ID" IN (SELECT "IMG_ID" FROM "IMAGE" WHERE "ART_CODE" ${IN_ARTICLES})`;
    case 'whole':
      return '';
  }
}

/**
 * The query of an export table's rows for the device whose selection
 * selectForExport made last on this connection: its columns in mapping
 * order, rows by key then rowid (as selectRows), so that an export without
 * selection sends exactly the stored rows.
 */
export function exportRowsQuery(spec: TableSpec): SqlPart {
  return selectedQuery(spec, spec.columns.map((column) => quote(column.name)).join(', '));
}

function selectedQuery(spec: TableSpec, selected: string, from = 0): SqlPart {
  const order = [...spec.key.map(quote), 'rowid'].join(', ');
  const offset = from > 0 ? ` LIMIT -1 OFFSET ${from}` : '';
  return {
    sql: `SELECT ${selected} FROM ${quote(spec.name)}${whereOf(spec)} ORDER BY ${order}${offset}`, params: [],
  };
}

/**
 * The rows exportRowsQuery selects, one at a time, each as its values in
 * column order (booleans as boolean), without making an object of each, from
 * the row at index `from` (0-based) on: the export writes them straight into
 * its table files. The connection runs no
 * other statement until the loop ends: the export reads them under the back
 * office's one-at-a-time queue.
 */
export function* iterateExportValues(db: BoDatabase, spec: TableSpec, from = 0): Generator<Value[]> {
  const query = selectedQuery(spec, spec.columns.map((column) => quote(column.name)).join(', '), from);
  const booleans = spec.columns.flatMap((column, index) => (column.type === 'boolean' ? [index] : []));
  const rows = db.prepare(query.sql).raw(true).iterate(...query.params) as IterableIterator<Value[]>;
  if (booleans.length === 0) {
    yield* rows;
    return;
  }
  for (const values of rows) {
    for (const index of booleans) {
      const value = values[index];
      if (value !== null && value !== undefined) values[index] = value !== 0;
    }
    yield values;
  }
}

/**
 * The rows exportRowsQuery selects as lines that SQLite writes in the
 * mapping's codec (sql-lines.ts), or undefined when it cannot write them or
 * the database does not keep the table's key unique. Read as iterateExportValues.
 */
export function exportRowLines(db: BoDatabase, mapping: Mapping, spec: TableSpec): RowLines | undefined {
  const line = lineExpression(mapping, spec);
  if (line === undefined || !keyIsUnique(db, spec)) return undefined;
  const query = selectedQuery(spec, line);
  return {
    lines: vouchedLines(db.prepare(query.sql).pluck(true).iterate(...query.params) as IterableIterator<string | null>),
    valuesFrom: (from) => iterateExportValues(db, spec, from),
  };
}

/** The rows exportRowsQuery selects, one at a time, as Row objects (column name to value). */
export function* iterateExportRows(db: BoDatabase, spec: TableSpec): Generator<Row> {
  const { columns } = spec;
  for (const values of iterateExportValues(db, spec)) {
    const row: Row = {};
    for (let index = 0; index < columns.length; index++) row[columns[index]!.name] = values[index] ?? null;
    yield row;
  }
}

/** Every row iterateExportRows gives. */
export function selectExportRows(db: BoDatabase, spec: TableSpec): Row[] {
  return [...iterateExportRows(db, spec)];
}

/** A code of a selection as a LIKE pattern: `*` matches any characters; `%`, `_` and `\` are themselves. */
export function likePattern(code: string): string {
  return code.replace(/[\\%_]/g, (character) => `\\${character}`).replaceAll('*', '%');
}

function anyLike(column: string, codes: readonly string[]): SqlPart {
  return {
    sql: `(${codes.map(() => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
    params: codes.map(likePattern),
  };
}

function anyLocation(codes: readonly string[]): SqlPart {
  const parts = codes.map((code) => {
    const [depot, location] = code.includes('/') ? code.split('/') as [string, string] : [undefined, code];
    return depot === undefined ? anyLike('l.EMP_CODE', [location])
      : and([anyLike('l.DEP_CODE', [depot]), anyLike('l.EMP_CODE', [location])]);
  });
  return { sql: `(${parts.map((part) => part.sql).join(' OR ')})`, params: parts.flatMap((part) => part.params) };
}

function between(column: string, from: number | undefined, to: number | undefined): SqlPart[] {
  const parts: SqlPart[] = [];
  if (from !== undefined) parts.push({ sql: `${column} >= ?`, params: [from] });
  if (to !== undefined) parts.push({ sql: `${column} <= ?`, params: [to] });
  return parts;
}

function and(parts: readonly SqlPart[]): SqlPart {
  if (parts.length === 0) return { sql: '1', params: [] };
  return { sql: `(${parts.map((part) => part.sql).join(' AND ')})`, params: parts.flatMap((part) => part.params) };
}

/**
 * The article criteria of selections as SQL on `a` (ARTICLE); `articleColumn`
 * is where the article code is read (`l.ART_CODE` for a lot line).
 */
export function articleCondition(selections: readonly LotSelection[], articleColumn = 'a.ART_CODE'): SqlPart {
  const parts: SqlPart[] = [];
  for (const selection of selections) {
    if (selection.articles !== undefined) parts.push(anyLike(articleColumn, selection.articles));
    if (selection.families !== undefined) parts.push(anyLike('a.FAM_CODE', selection.families));
  }
  return and(parts);
}

/** Every criterion of selections as SQL on `l` (LOTSTOCK) joined to `a` (its ARTICLE row). */
export function lotCondition(selections: readonly LotSelection[]): SqlPart {
  const parts: SqlPart[] = [articleCondition(selections, 'l.ART_CODE')];
  for (const selection of selections) {
    if (selection.depots !== undefined) parts.push(anyLike('l.DEP_CODE', selection.depots));
    if (selection.locations !== undefined) parts.push(anyLocation(selection.locations));
    parts.push(...between('l.MILLESIME', selection.vintages?.from, selection.vintages?.to));
    parts.push(...between('l.QUANTITE', selection.quantity?.min, selection.quantity?.max));
  }
  return and(parts);
}

/** Throws BackOfficeError when the mapping lacks a table the selection reads. */
function checkSelectionTables(mapping: Mapping): void {
  for (const name of ['ARTICLE', 'LOTSTOCK']) {
    if (!mapping.exportTables.some((spec) => spec.name === name)) {
      throw new BackOfficeError(`the export mapping ${mapping.format} ${mapping.version} has no ${name} table: ` +
        'the lot selection reads ARTICLE and LOTSTOCK');
    }
  }
}

/**
 * Fills temp.export_lot and temp.export_article with what `selections` (each
 * must match) and `scope` select, replacing the previous selection of this
 * connection. Returns how many articles and lot lines were taken.
 */
export function selectForExport(db: BoDatabase, mapping: Mapping, selections: readonly LotSelection[],
  scope: NonNullable<ExportOptions['scope']> = 'all-articles'): SelectionCounts {
  checkSelectionTables(mapping);
  db.exec(TEMP_TABLES);
  return db.transaction(() => {
    db.exec('DELETE FROM temp.export_lot; DELETE FROM temp.export_article;');
    const lots = lotCondition(selections);
    const lotLines = db.prepare(`INSERT INTO temp.export_lot (LOT_CODE, DEP_CODE, EMP_CODE)
      SELECT l.LOT_CODE, l.DEP_CODE, l.EMP_CODE FROM LOTSTOCK l JOIN ARTICLE a ON a.ART_CODE = l.ART_CODE
      WHERE ${lots.sql}`).run(...lots.params).changes;
    const withLots = db.prepare(`INSERT OR IGNORE INTO temp.export_article (ART_CODE)
      SELECT DISTINCT l.ART_CODE FROM LOTSTOCK l
      WHERE (l.LOT_CODE, l.DEP_CODE, l.EMP_CODE) IN (SELECT LOT_CODE, DEP_CODE, EMP_CODE FROM temp.export_lot)`)
      .run().changes;
    let articlesWithoutLots = 0;
    if (scope === 'all-articles') {
      const articles = articleCondition(selections);
      articlesWithoutLots = db.prepare(`INSERT OR IGNORE INTO temp.export_article (ART_CODE)
        SELECT a.ART_CODE FROM ARTICLE a
        WHERE a.ART_CODE NOT IN (SELECT ART_CODE FROM LOTSTOCK) AND ${articles.sql}`)
        .run(...articles.params).changes;
    }
    return { articles: withLots + articlesWithoutLots, articlesWithoutLots, lotLines };
  })();
}

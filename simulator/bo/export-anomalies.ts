/**
 * What the export report (« rapport d'exportation ») says of the data sent to
 * a device, once selectForExport has chosen its articles and lots: articles
 * without designation, lots of unknown articles or in unknown places, gift
 * box links left out, codes of the selection or the criteria that match
 * nothing, and a selection that takes nothing at all. None of them stops the
 * export. Each kind lists at most MAX_LISTED_ANOMALIES items, then one line
 * says how many more there are.
 */
import type { Mapping } from '../exchange/types.ts';
import type { BoDatabase } from './database.ts';
import { likePattern, lotCondition, type SelectionCounts } from './export-selection.ts';
import type { Anomaly, LotSelection } from './types.ts';

/** How many anomalies of one kind a report lists one by one. */
export const MAX_LISTED_ANOMALIES = 50;

/** A selection and where it comes from, e.g. `the selection` or `the criteria of device Tab001`. */
export interface NamedSelection {
  source: string;
  selection: LotSelection;
}

function listed<T>(items: readonly T[], reason: (item: T) => string, more: (count: number) => string): Anomaly[] {
  const anomalies = items.slice(0, MAX_LISTED_ANOMALIES).map((item) => ({ reason: reason(item) }));
  if (items.length > MAX_LISTED_ANOMALIES) anomalies.push({ reason: more(items.length - MAX_LISTED_ANOMALIES) });
  return anomalies;
}

function hasTable(mapping: Mapping, name: string): boolean {
  return mapping.exportTables.some((spec) => spec.name === name);
}

function withoutDesignation(db: BoDatabase, mapping: Mapping): Anomaly[] {
  if (!hasTable(mapping, 'ARTDESIGNATION')) return [];
  const articles = db.prepare<[], { ART_CODE: string }>(`SELECT e.ART_CODE FROM temp.export_article e
    WHERE e.ART_CODE NOT IN (SELECT ART_CODE FROM ARTDESIGNATION) ORDER BY e.ART_CODE`).all();
  return listed(articles, (row) => `article ${row.ART_CODE} has no designation (ARTDESIGNATION): ` +
    'exported with the label of ARTICLE only', (more) => `and ${more} more articles without designation`);
}

interface LotLine {
  LOT_CODE: string;
  ART_CODE: string;
  DEP_CODE: string;
  EMP_CODE: string;
}

function lotsOfUnknownArticles(db: BoDatabase, selections: readonly LotSelection[]): Anomaly[] {
  const condition = lotCondition(selections);
  const lots = db.prepare<unknown[], LotLine>(`SELECT l.LOT_CODE, l.ART_CODE, l.DEP_CODE, l.EMP_CODE
    FROM LOTSTOCK l LEFT JOIN ARTICLE a ON a.ART_CODE = l.ART_CODE
    WHERE a.ART_CODE IS NULL AND ${condition.sql} ORDER BY l.LOT_CODE, l.DEP_CODE, l.EMP_CODE`)
    .all(...condition.params);
  return listed(lots, (lot) => `lot ${lot.LOT_CODE} (${lot.DEP_CODE}/${lot.EMP_CODE}) belongs to article ` +
    `${lot.ART_CODE}, which is not in ARTICLE: not exported`,
  (more) => `and ${more} more lot lines of unknown articles, not exported`);
}

function lotsInUnknownPlaces(db: BoDatabase, mapping: Mapping): Anomaly[] {
  if (!hasTable(mapping, 'EMPLACEMENT')) return [];
  const lots = db.prepare<[], Omit<LotLine, 'ART_CODE'>>(`SELECT l.LOT_CODE, l.DEP_CODE, l.EMP_CODE
    FROM temp.export_lot l
    WHERE (l.DEP_CODE, l.EMP_CODE) NOT IN (SELECT DEP_CODE, EMP_CODE FROM EMPLACEMENT)
    ORDER BY l.LOT_CODE, l.DEP_CODE, l.EMP_CODE`).all();
  return listed(lots, (lot) => `lot ${lot.LOT_CODE} lies in ${lot.DEP_CODE}/${lot.EMP_CODE}, which is not ` +
    'a location of EMPLACEMENT: exported, but the device cannot show where it lies',
  (more) => `and ${more} more lot lines in unknown locations`);
}

function linksLeftOut(db: BoDatabase, mapping: Mapping): Anomaly[] {
  if (!hasTable(mapping, 'ARTILINK')) return [];
  const links = db.prepare<[], { ART_CODE: string; ART_CODE_LIE: string }>(`SELECT k.ART_CODE, k.ART_CODE_LIE
    FROM ARTILINK k WHERE k.ART_CODE IN (SELECT ART_CODE FROM temp.export_article)
      AND k.ART_CODE_LIE NOT IN (SELECT ART_CODE FROM temp.export_article)
    ORDER BY k.ART_CODE, k.ART_CODE_LIE`).all();
  return listed(links, (link) => `article ${link.ART_CODE} holds article ${link.ART_CODE_LIE} (ARTILINK), ` +
    'which is not exported to this device: the link is left out',
  (more) => `and ${more} more links to articles not exported, left out`);
}

const REFERENCES: readonly { list: 'articles' | 'families' | 'depots'; table: string; column: string;
  what: string }[] = [
  { list: 'articles', table: 'ARTICLE', column: 'ART_CODE', what: 'article' },
  { list: 'families', table: 'ARTFAMILY', column: 'FAM_CODE', what: 'family' },
  { list: 'depots', table: 'DEPOT', column: 'DEP_CODE', what: 'depot' },
];

/** Codes of a selection that match no row of their table: most likely mistyped. */
function codesMatchingNothing(db: BoDatabase, mapping: Mapping, named: NamedSelection): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const matches = (table: string, condition: string, ...patterns: string[]): boolean =>
    db.prepare(`SELECT 1 FROM ${table} WHERE ${condition} LIMIT 1`).get(...patterns) !== undefined;
  const like = (column: string): string => `${column} LIKE ? ESCAPE '\\'`;
  for (const reference of REFERENCES) {
    if (!hasTable(mapping, reference.table)) continue;
    for (const code of named.selection[reference.list] ?? []) {
      if (!matches(reference.table, like(reference.column), likePattern(code))) {
        anomalies.push({ reason: `${reference.what} ${code} of ${named.source} matches no ${reference.what} ` +
          `of ${reference.table}` });
      }
    }
  }
  if (!hasTable(mapping, 'EMPLACEMENT')) return anomalies;
  for (const code of named.selection.locations ?? []) {
    const [depot, location] = code.includes('/') ? code.split('/') as [string, string] : ['*', code];
    if (!matches('EMPLACEMENT', `${like('DEP_CODE')} AND ${like('EMP_CODE')}`, likePattern(depot),
      likePattern(location))) {
      anomalies.push({ reason: `location ${code} of ${named.source} matches no location of EMPLACEMENT` });
    }
  }
  return anomalies;
}

/** The anomalies of the data an export sends, after selectForExport. */
export function exportedDataAnomalies(db: BoDatabase, mapping: Mapping, selections: readonly NamedSelection[],
  counts: SelectionCounts): Anomaly[] {
  const plain = selections.map((named) => named.selection);
  const anomalies = selections.flatMap((named) => codesMatchingNothing(db, mapping, named));
  if (counts.articles === 0) {
    const sources = selections.map((named) => named.source).join(' and ') || 'the selection';
    anomalies.push({ reason: `no article matches ${sources}: the zip holds no article and no lot` });
  }
  anomalies.push(...lotsOfUnknownArticles(db, plain), ...lotsInUnknownPlaces(db, mapping),
    ...withoutDesignation(db, mapping), ...linksLeftOut(db, mapping));
  return anomalies;
}

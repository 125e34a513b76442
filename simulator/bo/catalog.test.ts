import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCompany } from '../company.ts';
import { encodeTable, loadMapping } from '../exchange/index.ts';
import type { Row, TableSpec } from '../exchange/types.ts';
import { CATALOG_SIZES, generateCatalog, stockLayout, type CatalogSize } from './catalog.ts';
import { lotPlace } from './catalog-lots.ts';

const mapping = loadMapping('eStock', '1.00');
const company = loadCompany('demo');

function keysOf(spec: TableSpec, rows: readonly Row[]): string[] {
  return rows.map((row) => JSON.stringify(spec.key.map((column) => row[column])));
}

function rowsOf(tables: ReadonlyMap<string, Row[]>, name: string): Row[] {
  const rows = tables.get(name);
  assert.ok(rows !== undefined, `table ${name} is missing`);
  return rows;
}

test('the same seed gives the same rows', () => {
  for (const size of ['small', 'medium'] as const) {
    assert.deepEqual(generateCatalog(mapping, company, { size, seed: 42 }),
      generateCatalog(mapping, company, { size, seed: 42 }));
  }
});

test('another seed gives other names but the same codes in every table', () => {
  const one = generateCatalog(mapping, company, { size: 'small', seed: 1 });
  const two = generateCatalog(mapping, company, { size: 'small', seed: 2 });
  for (const spec of mapping.exportTables) {
    assert.deepEqual(keysOf(spec, rowsOf(two, spec.name)), keysOf(spec, rowsOf(one, spec.name)), spec.name);
  }
  const labels = (tables: ReadonlyMap<string, Row[]>) => rowsOf(tables, 'ARTICLE').map((row) => row.LIBELLE);
  const differing = labels(one).filter((label, index) => label !== labels(two)[index]);
  assert.ok(differing.length > 30, `only ${differing.length} of 40 article names differ`);
});

test('every export table gets rows, each with exactly its columns', () => {
  const tables = generateCatalog(mapping, company, { size: 'small', seed: 3 });
  assert.deepEqual([...tables.keys()], mapping.exportTables.map((spec) => spec.name));
  for (const spec of mapping.exportTables) {
    const rows = rowsOf(tables, spec.name);
    assert.ok(rows.length > 0, `${spec.name} is empty`);
    for (const row of rows) assert.deepEqual(Object.keys(row), spec.columns.map((column) => column.name));
  }
});

for (const size of ['small', 'medium'] as const) {
  test(`every row of a ${size} catalog encodes (lengths, types, Windows-1252)`, () => {
    const tables = generateCatalog(mapping, company, { size, seed: 11 });
    for (const spec of mapping.exportTables) {
      assert.doesNotThrow(() => encodeTable(mapping, spec, rowsOf(tables, spec.name)), spec.name);
    }
  });
}

test('codes follow the catalog rules whatever the seed', () => {
  for (const seed of [5, 6]) {
    const tables = generateCatalog(mapping, company, { size: 'small', seed });
    const articles = rowsOf(tables, 'ARTICLE').map((row) => row.ART_CODE);
    assert.equal(articles.length, 40);
    assert.equal(articles[0], 'ART0001');
    assert.equal(articles[39], 'ART0040');
    assert.deepEqual(stockLayout('small').depots, ['CHAI', 'CAVE', 'STOCK', 'EXPE']);
    assert.deepEqual(rowsOf(tables, 'DEPOT').map((row) => row.DEP_CODE), ['CAVE', 'CHAI', 'EXPE', 'STOCK']);
    assert.equal(rowsOf(tables, 'EMPLACEMENT').length, 20);
    assert.deepEqual(rowsOf(tables, 'MVSMOTIF').map((row) => `${row.MOTIF_CODE}:${row.SENS}`),
      ['CAS:S', 'DEG:S', 'ENT:E', 'INV:I', 'REC:E', 'TRF:T', 'VTE:S']);

    const stock = rowsOf(tables, 'LOTSTOCK');
    const place = (lot: string) => stock.filter((row) => row.LOT_CODE === lot)
      .map((row) => `${row.DEP_CODE}/${row.EMP_CODE}`);
    assert.deepEqual(place('LOT0001-1'), ['STOCK/A04']);
    assert.deepEqual(stock.filter((row) => row.ART_CODE === 'ART0002').map((row) => row.LOT_CODE),
      ['LOT0002-1', 'LOT0002-2', 'LOT0002-3']);
    assert.deepEqual(stock.filter((row) => row.ART_CODE === 'ART0010' || row.ART_CODE === 'ART0020'), []);
    for (const row of stock) assert.ok(typeof row.EMP_CODE === 'string' && row.EMP_CODE !== '');
  }
});

test('a large catalog numbers its articles on 5 digits and spreads lots over its depots', () => {
  const tables = generateCatalog(mapping, company, { size: 'large', seed: 1 });
  const articles = rowsOf(tables, 'ARTICLE');
  assert.equal(articles.length, CATALOG_SIZES.large.articles);
  assert.equal(articles[0]?.ART_CODE, 'ART00001');
  assert.equal(articles.at(-1)?.ART_CODE, 'ART20000');
  const layout = stockLayout('large');
  assert.deepEqual(layout.depots.slice(3), ['EXPE', 'DEP05', 'DEP06', 'DEP07', 'DEP08', 'DEP09', 'DEP10']);
  const first = rowsOf(tables, 'LOTSTOCK')[0];
  assert.equal(first?.LOT_CODE, 'LOT00001-1');
  const expected = lotPlace(1, 1, layout);
  assert.deepEqual([first?.DEP_CODE, first?.EMP_CODE], [expected.depot, expected.location]);
});

test('the huge catalog holds over 200,000 lots; dimensions of one\'s own are taken as given', () => {
  const tables = generateCatalog(mapping, company, { size: 'huge', seed: 1 });
  const lots = rowsOf(tables, 'LOTSTOCK');
  assert.equal(lots.length, 216_000);
  assert.equal(new Set(lots.map((row) => row.LOT_CODE)).size, lots.length);
  assert.equal(lots.at(-1)?.LOT_CODE, 'LOT119999-3');
  assert.equal(rowsOf(tables, 'EMPLACEMENT').at(-1)?.EMP_CODE, 'A100');

  const own = generateCatalog(mapping, company, { size: { articles: 30, depots: 2, locationsPerDepot: 3 }, seed: 1 });
  assert.equal(rowsOf(own, 'ARTICLE').length, 30);
  assert.deepEqual([...codes(own, 'LOTSTOCK', 'DEP_CODE')].sort(), ['CAVE', 'CHAI']);
});

function codes(tables: ReadonlyMap<string, Row[]>, table: string, column: string): Set<unknown> {
  return new Set(rowsOf(tables, table).map((row) => row[column]));
}

function assertRefersTo(tables: ReadonlyMap<string, Row[]>, from: string, column: string, to: string,
  toColumn: string): void {
  const known = codes(tables, to, toColumn);
  for (const row of rowsOf(tables, from)) {
    if (row[column] === null) continue;
    assert.ok(known.has(row[column]), `${from}.${column} ${String(row[column])} is not in ${to}.${toColumn}`);
  }
}

test('every code a row names exists in the table it refers to', () => {
  for (const size of ['small', 'medium'] satisfies CatalogSize[]) {
    const tables = generateCatalog(mapping, company, { size, seed: 9 });
    const references: [string, string, string, string][] = [
      ['ARTFAMILY', 'UPF_CODE', 'UPPERFAMILY', 'UPF_CODE'], ['UNDERFAMILY', 'FAM_CODE', 'ARTFAMILY', 'FAM_CODE'],
      ['ARTICLE', 'FAM_CODE', 'ARTFAMILY', 'FAM_CODE'], ['ARTICLE', 'UNF_CODE', 'UNDERFAMILY', 'UNF_CODE'],
      ['ARTICLE', 'UV_CODE', 'UNITEVENTE', 'UV_CODE'], ['ARTICLE', 'TF_CODE', 'TYPEFISCAL', 'TF_CODE'],
      ['ARTICLE', 'CRIT1', 'ARTCRITERIA1', 'CODE'], ['ARTICLE', 'CRIT2', 'ARTCRITERIA2', 'CODE'],
      ['ARTICLE', 'CRIT3', 'ARTCRITERIA3', 'CODE'], ['ARTICLE', 'CRIT4', 'ARTCRITERIA4', 'CODE'],
      ['ARTDESIGNATION', 'ART_CODE', 'ARTICLE', 'ART_CODE'], ['ARTILINK', 'ART_CODE_LIE', 'ARTICLE', 'ART_CODE'],
      ['PACKAGEARTICLE', 'ART_CODE', 'ARTICLE', 'ART_CODE'], ['PACKAGEARTICLE', 'PKG_CODE', 'PACKAGING', 'PKG_CODE'],
      ['IMAGE', 'ART_CODE', 'ARTICLE', 'ART_CODE'], ['IMAGECRITERIA01', 'IMG_ID', 'IMAGE', 'IMG_ID'],
      ['LOTSTOCK', 'ART_CODE', 'ARTICLE', 'ART_CODE'], ['LOTSTOCK', 'DEP_CODE', 'DEPOT', 'DEP_CODE'],
      ['LOTSTOCK', 'STOCRIT1', 'STOCRITERIA1', 'CODE'], ['LOTSTOCK', 'STOCRIT2', 'STOCRITERIA2', 'CODE'],
      ['LOTSTOCKILINK', 'LOT_CODE', 'LOTSTOCK', 'LOT_CODE'], ['DEPOT', 'TDE_CODE', 'TYPEOFDEPOT', 'TDE_CODE'],
      ['EMPLACEMENT', 'DEP_CODE', 'DEPOT', 'DEP_CODE'], ['SOFTUSER', 'DEP_CODE', 'DEPOT', 'DEP_CODE'],
      ['DEVICEMOBIL', 'LOGIN', 'SOFTUSER', 'LOGIN'],
    ];
    for (const [from, column, to, toColumn] of references) assertRefersTo(tables, from, column, to, toColumn);
    const locations = codes(tables, 'EMPLACEMENT', 'DEP_CODE');
    assert.ok(rowsOf(tables, 'LOTSTOCK').every((row) => locations.has(row.DEP_CODE)));
  }
});

test('DEVICEMOBIL and SOFTUSER come from the company file', () => {
  const tables = generateCatalog(mapping, company, { size: 'small', seed: 1 });
  assert.deepEqual(rowsOf(tables, 'DEVICEMOBIL').map((row) => row.DEVICE_ID),
    company.registry.map((device) => device.deviceId));
  assert.deepEqual(rowsOf(tables, 'DEVICEMOBIL')[3],
    { DEVICE_ID: 'Tab001', AUTH_KEY: '625a3bc6ff4eb194', BLOQUE: false, LOGIN: 'Admin' });
  assert.deepEqual(rowsOf(tables, 'SOFTUSER').map((row) => row.LOGIN), ['Admin', 'Loïc']);
});

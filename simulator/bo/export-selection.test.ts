import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BackOfficeError } from '../errors.ts';
import type { Row } from '../exchange/types.ts';
import { generateCatalog } from './catalog.ts';
import { column, serverTables } from './export-fixture.ts';
import { demoCompany, startTestBench, type TestBench } from './test-fixture.ts';
import type { ExportOptions, LotSelection } from './types.ts';

const SEED = 2026;

/** The catalog the bench seeds, as generated. */
function catalogOf(bench: TestBench): Map<string, Row[]> {
  return generateCatalog(bench.mapping, bench.company, { size: 'small', seed: SEED });
}

/** `*` as any characters, whole code, any case: the selection's rule written as a regular expression. */
function matchesAny(codes: readonly string[] | undefined, value: unknown): boolean {
  if (codes === undefined) return true;
  return codes.some((code) => new RegExp(`^${code.replaceAll('*', '.*')}$`, 'i').test(String(value ?? '')));
}

function inRange(value: unknown, from?: number, to?: number): boolean {
  if (from === undefined && to === undefined) return true;
  if (typeof value !== 'number') return false;
  return (from === undefined || value >= from) && (to === undefined || value <= to);
}

/** What the guide's selection takes from the catalog: lot lines, then articles. */
function expected(catalog: ReadonlyMap<string, Row[]>, selections: readonly LotSelection[],
  scope: ExportOptions['scope'] = 'all-articles'): { lots: string[]; articles: string[] } {
  const articles = new Map((catalog.get('ARTICLE') ?? []).map((row) => [row.ART_CODE, row]));
  const articleMatches = (code: unknown): boolean => selections.every((selection) =>
    matchesAny(selection.articles, code) && matchesAny(selection.families, articles.get(code as string)?.FAM_CODE));
  const lotRows = (catalog.get('LOTSTOCK') ?? []).filter((lot) => articleMatches(lot.ART_CODE) &&
    selections.every((selection) => matchesAny(selection.depots, lot.DEP_CODE) &&
      (selection.locations === undefined || selection.locations.some((location) => location.includes('/')
        ? matchesAny([location], `${lot.DEP_CODE}/${lot.EMP_CODE}`) : matchesAny([location], lot.EMP_CODE))) &&
      inRange(lot.MILLESIME, selection.vintages?.from, selection.vintages?.to) &&
      inRange(lot.QUANTITE, selection.quantity?.min, selection.quantity?.max)));
  const withLots = new Set(lotRows.map((lot) => lot.ART_CODE));
  const everyLotArticle = new Set((catalog.get('LOTSTOCK') ?? []).map((lot) => lot.ART_CODE));
  const chosen = [...articles.keys()].filter((code) => withLots.has(code) ||
    (scope === 'all-articles' && !everyLotArticle.has(code) && articleMatches(code)));
  return { lots: lotRows.map((lot) => `${lot.LOT_CODE}@${lot.DEP_CODE}/${lot.EMP_CODE}`),
    articles: chosen.map(String) };
}

async function exported(bench: TestBench, deviceId: string): Promise<{ lots: string[]; articles: string[] }> {
  const tables = await serverTables(bench, deviceId);
  return {
    lots: (tables.get('LOTSTOCK') ?? []).map((lot) => `${lot.LOT_CODE}@${lot.DEP_CODE}/${lot.EMP_CODE}`),
    articles: column(tables, 'ARTICLE', 'ART_CODE').map(String),
  };
}

test('each criterion of the lot selection takes the lots it says, and their articles', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const catalog = catalogOf(bench);
  const selections: [string, LotSelection][] = [
    ['articles', { articles: ['ART000*', 'art0031'] }],
    ['families', { families: ['ROUGE', 'BLANC'] }],
    ['depots', { depots: ['STOCK'] }],
    ['locations in any depot', { locations: ['A01'] }],
    ['locations of one depot', { locations: ['CAVE/A0*', 'EXPE/A05'] }],
    ['vintages', { vintages: { from: 2018, to: 2020 } }],
    ['vintages from', { vintages: { from: 2022 } }],
    ['quantity', { quantity: { min: 1000 } }],
    ['quantity range', { quantity: { min: 10, max: 100 } }],
    ['several at once', { families: ['ROUGE'], depots: ['CHAI', 'CAVE'], vintages: { to: 2019 } }],
  ];

  for (const [name, selection] of selections) {
    const report = await bench.bo.exportForDevice('Tab001', { selection });

    const got = await exported(bench, 'Tab001');
    const want = expected(catalog, [selection]);
    assert.ok(want.lots.length > 0 && want.lots.length < (catalog.get('LOTSTOCK') ?? []).length, name);
    assert.deepEqual(got, want, name);
    assert.equal(report.rows, [...(await serverTables(bench, 'Tab001')).values()]
      .reduce((sum, rows) => sum + rows.length, 0), name);
  }
});

test('« Tous les articles » adds the selected articles without lots; « Lot existant » does not', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const catalog = catalogOf(bench);
  const withoutLots = ['ART0010', 'ART0020', 'ART0030', 'ART0040'];

  await bench.bo.exportForDevice('Tab001');
  assert.deepEqual(await exported(bench, 'Tab001'), expected(catalog, []));
  assert.deepEqual(withoutLots.filter((code) => !expected(catalog, []).articles.includes(code)), []);

  await bench.bo.exportForDevice('Tab001', { scope: 'existing-lots' });
  const existing = await exported(bench, 'Tab001');
  assert.deepEqual(existing, expected(catalog, [], 'existing-lots'));
  assert.deepEqual(withoutLots.filter((code) => existing.articles.includes(code)), []);
  assert.equal(existing.articles.length, 36);

  const blanc: LotSelection = { families: ['BLANC'] };
  await bench.bo.exportForDevice('Tab001', { selection: blanc, scope: 'all-articles' });
  assert.deepEqual((await exported(bench, 'Tab001')).articles, ['ART0008', 'ART0009', 'ART0010', 'ART0011',
    'ART0028', 'ART0029', 'ART0030', 'ART0031']);
  await bench.bo.exportForDevice('Tab001', { selection: blanc, scope: 'existing-lots' });
  assert.deepEqual((await exported(bench, 'Tab001')).articles, ['ART0008', 'ART0009', 'ART0011',
    'ART0028', 'ART0029', 'ART0031']);
});

test('the lot criteria do not keep out the articles without lots in « Tous les articles »', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  await bench.bo.exportForDevice('Tab001', { selection: { depots: ['CAVE'], families: ['ROUGE'] } });

  const got = await exported(bench, 'Tab001');
  assert.deepEqual(got.articles.filter((code) => ['ART0010', 'ART0020', 'ART0030', 'ART0040'].includes(code)),
    ['ART0020', 'ART0040']);
  assert.ok(got.lots.every((lot) => lot.includes('@CAVE/')), got.lots.join(' '));
});

test('tables that hang on articles or lots follow them; reference tables go whole', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const catalog = catalogOf(bench);

  await bench.bo.exportForDevice('Tab001', { selection: { articles: ['ART001*', 'ART0002'] } });

  const tables = await serverTables(bench, 'Tab001');
  const articles = new Set(column(tables, 'ARTICLE', 'ART_CODE'));
  const lots = new Set(column(tables, 'LOTSTOCK', 'LOT_CODE'));
  const keep = (table: string, test: (row: Row) => boolean): Row[] => (catalog.get(table) ?? []).filter(test);
  for (const table of ['ARTDESIGNATION', 'PACKAGEARTICLE', 'IMAGE']) {
    assert.deepEqual(tables.get(table), keep(table, (row) => articles.has(row.ART_CODE)), table);
  }
  const images = new Set(column(tables, 'IMAGE', 'IMG_ID'));
  assert.deepEqual([...images], [2, 12, 17]);
  assert.deepEqual(tables.get('IMAGECRITERIA01'), keep('IMAGECRITERIA01', (row) => images.has(row.IMG_ID)));
  assert.deepEqual(tables.get('LOTSTOCKILINK'), keep('LOTSTOCKILINK', (row) => lots.has(row.LOT_CODE)));
  assert.ok((tables.get('LOTSTOCKILINK') ?? []).length > 0);
  // ART0019, a gift box, holds ART0001, ART0009 and ART0013: only the link to ART0013 goes with it.
  assert.deepEqual(tables.get('ARTILINK'), [{ ART_CODE: 'ART0019', ART_CODE_LIE: 'ART0013', QUANTITE: 1 }]);
  for (const table of ['ARTFAMILY', 'DEPOT', 'EMPLACEMENT', 'MVSMOTIF', 'ARTCRITERIA1', 'SOFTUSER', 'SOCIETY']) {
    assert.deepEqual(tables.get(table), catalog.get(table), table);
  }
});

test('a device\'s « Critères Articles et Lots » apply on top of the selection, device by device', async (t) => {
  const company = demoCompany();
  company.estock.find((device) => device.deviceId === 'Tab001')!.criteria = 'depot=STOCK,CAVE vintage=..2019';
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const catalog = catalogOf(bench);
  const selection: LotSelection = { families: ['ROUGE', 'BLANC'] };

  const reports = await bench.bo.exportForDevices(['Tab001', 'Tab002'], { selection });

  const criteria: LotSelection = { depots: ['STOCK', 'CAVE'], vintages: { to: 2019 } };
  assert.deepEqual(await exported(bench, 'Tab001'), expected(catalog, [selection, criteria]));
  assert.deepEqual(await exported(bench, 'Tab002'), expected(catalog, [selection]));
  assert.ok((await exported(bench, 'Tab001')).lots.length < (await exported(bench, 'Tab002')).lots.length);
  assert.deepEqual(reports.map((report) => report.anomalies), [[], []]);

  bench.bo.changeListedDevice('Tab001', { criteria: 'family=ROSE' });
  const report = await bench.bo.exportForDevice('Tab001', { selection });
  assert.deepEqual(await exported(bench, 'Tab001'), { lots: [], articles: [] });
  assert.deepEqual(report.anomalies.map((anomaly) => anomaly.reason), ['no article matches the selection and ' +
    'the criteria of device Tab001: the zip holds no article and no lot']);
});

test('a bad filter is refused when a device is listed or changed, naming the device and the token', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  bench.bo.unlistDevice('Tab003');

  const badYear = { deviceId: 'Tab003', login: 'Admin', criteria: 'family=ROUGE vintage=2O18' };
  assert.throws(() => bench.bo.listDevice(badYear), (error) => error instanceof BackOfficeError &&
    /^device Tab003 not added to the eStock list: .*device Tab003 .*vintage=2O18: "2O18" is not a year/
      .test(error.message));
  assert.equal(bench.bo.estockDevices().some((device) => device.deviceId === 'Tab003'), false);

  assert.throws(() => bench.bo.changeListedDevice('Tab001', { criteria: 'famille=ROUGE' }),
    (error) => error instanceof BackOfficeError &&
      /^device Tab001 not changed in the eStock list: .*famille=ROUGE: unknown criterion "famille"/
        .test(error.message));
  assert.equal(bench.bo.estockDevices().find((device) => device.deviceId === 'Tab001')?.criteria, '');

  const listed = bench.bo.listDevice({ deviceId: 'Tab003', login: 'Admin', criteria: 'family=ROUGE vintage=2018' });
  assert.equal(listed.criteria, 'family=ROUGE vintage=2018');
});

test('a device whose stored criteria cannot be read gets nothing, and says why', async (t) => {
  const company = demoCompany();
  company.estock.find((device) => device.deviceId === 'Tab001')!.criteria = 'FAM_CODE = ROUGE';
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  const [refused, exportedReport] = await bench.bo.exportForDevices(['Tab001', 'Tab002']);

  assert.deepEqual(refused?.files, []);
  assert.match(refused?.anomalies[0]?.reason ?? '', /device Tab001 \("FAM_CODE = ROUGE"\) cannot be read: /);
  assert.match(refused?.anomalies[0]?.reason ?? '',
    /FAM_CODE: not name=value.*nothing exported; correct them in the eStock device list$/);
  assert.equal(existsSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001')), false);
  assert.equal(exportedReport?.files.length, 3);
});

test('a wrong selection or an unregistered device stops the run before anything is exported', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  await assert.rejects(bench.bo.exportForDevices(['Tab001'], { selection: { vintages: { from: 2020, to: 2018 } } }),
    /export not started: the lot selection is wrong: vintages: from 2020 is after to 2018/);
  await assert.rejects(bench.bo.exportForDevices(['Tab001', 'Tab999']),
    /cannot export to device Tab999: it is not in the device registry .*nothing exported to any device/);
  assert.equal(existsSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001')), false);
});

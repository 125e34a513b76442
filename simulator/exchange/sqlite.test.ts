import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ExchangeFormatError } from '../errors.ts';
import { loadMapping } from './mapping.ts';
import { createTables, insertRows, iterateRows, openReadSnapshot, selectRows } from './sqlite.ts';
import type { Row, TableSpec } from './types.ts';

const mapping = loadMapping('eStock', '1.00');
const folder = mkdtempSync(join(tmpdir(), 'hil-sqlite-'));
after(() => rmSync(folder, { recursive: true, force: true }));

let opened = 0;
function openDb(): Database.Database {
  const db = new Database(join(folder, `store-${opened++}.sqlite`));
  after(() => db.close());
  return db;
}

function table(name: string): TableSpec {
  return mapping.exportTables.find((candidate) => candidate.name === name)!;
}

const ARTICLES: Row[] = [
  {
    ART_CODE: 'B2', LIBELLE: 'Rosé « Été »', FAM_CODE: null, UNF_CODE: null, UV_CODE: 'BT', TF_CODE: null,
    CONTENANCE: 0.75, DEGRE: 12.5, GERE_LOT: false, ACTIF: true, CRIT1: null, CRIT2: null, CRIT3: null, CRIT4: null,
    DATE_CREATION: '2026-12-03',
  },
  {
    ART_CODE: 'A1', LIBELLE: 'Côtes', FAM_CODE: 'VIN', UNF_CODE: null, UV_CODE: null, TF_CODE: null,
    CONTENANCE: null, DEGRE: null, GERE_LOT: true, ACTIF: false, CRIT1: 'R', CRIT2: null, CRIT3: null, CRIT4: null,
    DATE_CREATION: null,
  },
];

test('tables are created with their key; rows come back ordered by key, booleans as booleans', () => {
  const db = openDb();
  createTables(db, mapping.exportTables);
  createTables(db, mapping.exportTables);
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  assert.equal(names.length, 52);

  insertRows(db, table('ARTICLE'), ARTICLES);
  assert.deepEqual(selectRows(db, table('ARTICLE')), [ARTICLES[1], ARTICLES[0]]);
  const stored = db.prepare('SELECT GERE_LOT, CONTENANCE, DATE_CREATION FROM ARTICLE WHERE ART_CODE = ?').get('B2');
  assert.deepEqual(stored, { GERE_LOT: 0, CONTENANCE: 0.75, DATE_CREATION: '2026-12-03' });
});

test('inserting a row with a known key replaces it; a partial row stores NULL', () => {
  const db = openDb();
  const lots = table('LOTSTOCK');
  createTables(db, [lots]);
  insertRows(db, lots, [{ LOT_CODE: 'L1', ART_CODE: 'A1', DEP_CODE: 'D1', EMP_CODE: 'E1', QUANTITE: 10 }]);
  insertRows(db, lots, [{ LOT_CODE: 'L1', ART_CODE: 'A1', DEP_CODE: 'D1', EMP_CODE: 'E1', QUANTITE: 7.5 }]);
  const rows = selectRows(db, lots);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.QUANTITE, 7.5);
  assert.equal(rows[0]!.MILLESIME, null);
});

test('a prefix keeps tables of the same name apart', () => {
  const db = openDb();
  createTables(db, [table('LOTSTOCK')]);
  createTables(db, [mapping.upload.lots], 'upload_');
  insertRows(db, mapping.upload.lots, [{ LOT_CODE: 'L9', ART_CODE: 'A1', CREE_SUR_MOBILE: true }], 'upload_');
  assert.deepEqual(selectRows(db, mapping.upload.lots, 'upload_'),
    [{ LOT_CODE: 'L9', ART_CODE: 'A1', MILLESIME: null, DATE_CREATION: null, CREE_SUR_MOBILE: true }]);
  assert.deepEqual(selectRows(db, table('LOTSTOCK')), []);
});

test('a value of the wrong type or an unknown column is refused and nothing is inserted', () => {
  const db = openDb();
  const article = table('ARTICLE');
  createTables(db, [article]);
  assert.throws(() => insertRows(db, article, [ARTICLES[0]!, { ...ARTICLES[1]!, GERE_LOT: 'oui' }]),
    (error: unknown) => error instanceof ExchangeFormatError && /row 2: "oui" is not a boolean/.test(error.message));
  assert.throws(() => insertRows(db, article, [{ ...ARTICLES[1]!, COULEUR: 'rouge' }]), /unknown column COULEUR/);
  assert.deepEqual(selectRows(db, article), []);
});

test('odd table names are quoted', () => {
  const db = openDb();
  const odd: TableSpec = {
    name: 'ORDER', file: 'ORDER.txt', key: ['SELECT'],
    columns: [{ name: 'SELECT', type: 'text', required: true }, { name: 'GROUP', type: 'integer', required: false }],
  };
  createTables(db, [odd], 'x"y_');
  insertRows(db, odd, [{ SELECT: 'b', GROUP: 2 }, { SELECT: 'a', GROUP: null }], 'x"y_');
  assert.deepEqual(selectRows(db, odd, 'x"y_'), [{ SELECT: 'a', GROUP: null }, { SELECT: 'b', GROUP: 2 }]);
});

test('iterateRows gives the rows of selectRows one at a time', () => {
  const db = openDb();
  createTables(db, [table('ARTICLE')]);
  insertRows(db, table('ARTICLE'), ARTICLES);

  const rows = iterateRows(db, table('ARTICLE'));
  assert.deepEqual(rows.next().value, selectRows(db, table('ARTICLE'))[0]);
  assert.deepEqual([...rows], selectRows(db, table('ARTICLE')).slice(1));
});

test('a read snapshot keeps reading the rows of its start while the database is written', () => {
  const db = openDb();
  db.pragma('journal_mode = WAL');
  createTables(db, [table('ARTICLE')]);
  insertRows(db, table('ARTICLE'), ARTICLES);
  const snapshot = openReadSnapshot(db.name);
  after(() => snapshot.close());

  const reading = iterateRows(snapshot, table('ARTICLE'));
  assert.equal(reading.next().value?.ART_CODE, 'A1');
  db.prepare('DELETE FROM ARTICLE').run();
  insertRows(db, table('ARTICLE'), [{ ...ARTICLES[0]!, ART_CODE: 'C3' }]);

  assert.deepEqual([...reading].map((row) => row.ART_CODE), ['B2']);
  assert.deepEqual(selectRows(snapshot, table('ARTICLE')).map((row) => row.ART_CODE), ['A1', 'B2']);
  assert.deepEqual(selectRows(db, table('ARTICLE')).map((row) => row.ART_CODE), ['C3']);
  snapshot.close();
  assert.throws(() => openReadSnapshot(join(folder, 'missing.sqlite')), /unable to open|not exist/i);
});

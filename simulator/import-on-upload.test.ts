import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { ImportReport } from './bo/index.ts';
import { countDownloads, inboxFiles, startImportBench } from './bo/import-fixture.ts';
import { movementRow, uploadToInbox } from './bo/test-fixture.ts';
import { buildMovementUpload, loadMapping } from './exchange/index.ts';
import { withFtpSession } from './ftp/client.ts';
import {
  ACME, DEMO, logIn, openDataConnection, profileOf, RawControl, sessionEnded, startTestServer, storThenReset,
  uploadBytes,
} from './ftp/test-fixture.ts';
import type { StartedFtpServer } from './ftp/server.ts';
import { importOnUpload, movementUploadDevice, type ImportOnArrival } from './import-on-upload.ts';

const mapping = loadMapping('eStock', '1.00');
const ZIP = 'LotStockExported_20261203_194131.zip';
const LATER_ZIP = 'LotStockExported_20261203_194132.zip';
const inbox = (device: string): string => `Entrant/eStock/${device}/MvtStocks`;

/** Back offices that record each import and take `ms` over it, counting how many run at once. */
function recordingBackOffices(ms = 0) {
  const calls: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const of = (company: string) => ({
    importForDevice: async (device: string): Promise<ImportReport> => {
      calls.push(`${company}/${device}`);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((done) => setTimeout(done, ms));
      running -= 1;
      return { device, zips: [], movementsImported: 0, anomalies: [], ms };
    },
  });
  const backOffices = new Map([[DEMO.company, of(DEMO.company)], [ACME.company, of(ACME.company)]]);
  return { backOffices, calls, mostAtOnce: () => mostAtOnce };
}

async function upload(server: StartedFtpServer, paths: readonly string[], account = DEMO): Promise<void> {
  await withFtpSession(profileOf(server, account), 'test upload', async (client) => {
    for (const path of paths) {
      await client.ensureDir(`/${path.slice(0, path.lastIndexOf('/'))}`);
      await uploadBytes(client, Buffer.from('movements'), `/${path}`);
    }
  });
}

/** Resolves once `count` more sessions have ended. */
function sessionsEnded(server: StartedFtpServer, count: number): Promise<void> {
  let left = count;
  return new Promise((done) => server.on('session-end', () => {
    left -= 1;
    if (left === 0) done();
  }));
}

async function watched(t: TestContext, settleMs?: number, ms?: number) {
  const { server } = await startTestServer(t);
  const recording = recordingBackOffices(ms);
  const outcomes: ImportOnArrival[] = [];
  const importer = importOnUpload(server, mapping, recording.backOffices, (outcome) => outcomes.push(outcome),
    settleMs);
  return { server, importer, outcomes, ...recording };
}

test('movementUploadDevice reads the device of a movement upload, and nothing else', () => {
  assert.equal(movementUploadDevice(mapping, `${inbox('Tab001')}/${ZIP}`), 'Tab001');
  assert.equal(movementUploadDevice(mapping, `${inbox('PC-174')}/${ZIP}`), 'PC-174');
  assert.equal(movementUploadDevice(mapping, 'Entrant/eStock/Tab001/Version.txt'), undefined);
  assert.equal(movementUploadDevice(mapping, `${inbox('Tab001')}/${ZIP}.part`), undefined);
  assert.equal(movementUploadDevice(mapping, `${inbox('Tab001')}/${ZIP}.tmp`), undefined);
  assert.equal(movementUploadDevice(mapping, `${inbox('Tab001')}/LotStockExported_20261303_194131.zip`), undefined);
  assert.equal(movementUploadDevice(mapping, `Entrant/eStock/a/b/MvtStocks/${ZIP}`), undefined);
  assert.equal(movementUploadDevice(mapping, `Sortant/eStock/Tab001/MvtStocks/${ZIP}`), undefined);
});

test('a complete upload is imported once its session ends; two zips of one session make one import', async (t) => {
  const { server, importer, outcomes, calls } = await watched(t, 60_000);

  const ended = sessionEnded(server, 's0001');
  const zips = [`${inbox('Tab001')}/${ZIP}`, `${inbox('Tab001')}/${LATER_ZIP}`];
  await upload(server, [...zips, 'Entrant/eStock/Tab001/Version.txt']);
  await ended;
  await importer.drain();

  assert.deepEqual(calls, ['Demo/Tab001']);
  assert.deepEqual(outcomes[0]?.uploads, zips);
});

test('while the uploading session stays open, the import starts after the settle time', async (t) => {
  const { server, outcomes } = await watched(t, 100);
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);
  await control.command('MKD Entrant/eStock/Tab001');
  await control.command(`MKD ${inbox('Tab001')}`);

  const data = await openDataConnection(control);
  assert.match(await control.command(`STOR ${inbox('Tab001')}/${ZIP}`), /^150 /);
  data.end(Buffer.from('movements'));
  assert.match(await control.reply(), /^226 /);
  const arrived = Date.now();
  while (outcomes.length === 0 && Date.now() - arrived < 2000) await new Promise((done) => setTimeout(done, 20));

  assert.equal(outcomes.length, 1, 'no import while the session stayed open');
  assert.ok(Date.now() - arrived >= 90, 'the import did not wait for the settle time');
});

test('an upload cut short is never imported', async (t) => {
  const { server, importer, calls } = await watched(t, 50);
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);
  await control.command('MKD Entrant/eStock/Tab001');
  await control.command(`MKD ${inbox('Tab001')}`);

  assert.match(await storThenReset(control, `${inbox('Tab001')}/${ZIP}`, 20_000), /^426 /);
  const ended = sessionEnded(server, 's0001');
  await control.command('QUIT');
  await ended;
  await new Promise((done) => setTimeout(done, 100));
  await importer.drain();

  assert.deepEqual(calls, []);
});

test('imports of one company run one after the other; another company\'s run beside them', async (t) => {
  const { server, importer, calls, mostAtOnce } = await watched(t, 60_000, 80);

  let ended = sessionsEnded(server, 2);
  await Promise.all([upload(server, [`${inbox('Tab001')}/${ZIP}`]), upload(server, [`${inbox('Tab002')}/${ZIP}`])]);
  await ended;
  await importer.drain();
  assert.deepEqual([...calls].sort(), ['Demo/Tab001', 'Demo/Tab002']);
  assert.equal(mostAtOnce(), 1);

  ended = sessionsEnded(server, 2);
  await Promise.all([upload(server, [`${inbox('Tab001')}/${ZIP}`]), upload(server, [`${inbox('T9')}/${ZIP}`], ACME)]);
  await ended;
  await importer.drain();
  assert.deepEqual([...calls].sort(), ['Acme Vins/T9', 'Demo/Tab001', 'Demo/Tab001', 'Demo/Tab002']);
  assert.equal(mostAtOnce(), 2);
});

test('an upload from a device the back office does not know is reported on arrival, its zip left alone',
  async (t) => {
    const { bench, outcomes, importer } = await realBench(t);

    const ended = sessionEnded(bench.server, 's0001');
    await uploadToInbox(bench, 'GHOST', ZIP, Buffer.from('movements'));
    await ended;
    await importer.drain();

    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.error, undefined);
    assert.deepEqual(outcomes[0]?.report?.anomalies.map((anomaly) => anomaly.reason), [
      'device GHOST is not in the device registry of Demo: nothing imported; register it and add it to the ' +
        'eStock device list to import its movements',
      'not imported, left in the inbox',
    ]);
    assert.deepEqual(inboxFiles(bench, 'GHOST'), [ZIP]);
  });

/** `count` movement zips of `device`, one a second from 19:41:40, as the app names them. */
/** The real BO of a bench, its catalog seeded when `seed` is given, imported into on every arrival. */
async function realBench(t: TestContext, seed?: number) {
  const bench = await startImportBench(t);
  if (seed !== undefined) bench.bo.seedCatalog({ size: 'small', seed });
  const outcomes: ImportOnArrival[] = [];
  const importer = importOnUpload(bench.server, mapping, new Map([[bench.company.name, bench.bo]]),
    (outcome) => outcomes.push(outcome), 60_000);
  return { bench, outcomes, importer };
}

function zipsOf(device: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    `${inbox(device)}/LotStockExported_20261203_1941${String(40 + index).padStart(2, '0')}.zip`);
}

test('uploads arriving while an import of their device runs lead to one more import, not one each', async (t) => {
  const { server, importer, outcomes, calls } = await watched(t, 60_000, 1500);
  const ended = sessionEnded(server, 's0001');
  await upload(server, [`${inbox('Tab001')}/${ZIP}`]);
  await ended;

  // Eight sessions of the device, each with a zip, while the first import runs.
  const meanwhile = zipsOf('Tab001', 8);
  const eightEnded = sessionsEnded(server, 8);
  await Promise.all(meanwhile.map((path) => upload(server, [path])));
  await eightEnded;
  assert.equal(outcomes.length, 0, 'the first import was still running when the eight sessions ended');
  await importer.drain();

  assert.deepEqual(calls, ['Demo/Tab001', 'Demo/Tab001']);
  assert.deepEqual(outcomes[0]?.uploads, [`${inbox('Tab001')}/${ZIP}`]);
  assert.deepEqual([...outcomes[1]?.uploads ?? []].sort(), meanwhile);
});

test('stop runs what is due once per device, then no upload starts an import', async (t) => {
  const { server, importer, outcomes, calls } = await watched(t, 60_000, 300);
  let ended = sessionEnded(server, 's0001');
  await upload(server, [`${inbox('Tab001')}/${ZIP}`]);
  await ended;
  ended = sessionsEnded(server, 4);
  await Promise.all(zipsOf('Tab001', 4).map((path) => upload(server, [path])));
  await ended;

  await importer.stop();
  assert.deepEqual(calls, ['Demo/Tab001', 'Demo/Tab001']);
  ended = sessionsEnded(server, 1);
  await upload(server, [`${inbox('Tab002')}/${ZIP}`]);
  await ended;
  await new Promise((done) => setTimeout(done, 100));
  await importer.drain();

  assert.deepEqual(calls, ['Demo/Tab001', 'Demo/Tab001'], 'no import after stop');
  assert.equal(outcomes.length, 2);
});

test('on arrival, a zip refused and left in the inbox is downloaded once, and reported at every import',
  async (t) => {
    const { bench, outcomes, importer } = await realBench(t, 7);
    const bad = 'LotStockExported_20261203_180000.zip';
    const downloads = countDownloads(bench.server, bad);
    const good = await buildMovementUpload(mapping,
      { movements: [movementRow('Tab001-0001', {})], lots: [], lotInformation: [] });

    let ended = sessionsEnded(bench.server, 1);
    await uploadToInbox(bench, 'Tab001', bad, good.subarray(0, 100));
    await ended;
    await importer.drain();
    for (const second of ['10', '20', '30']) {
      ended = sessionsEnded(bench.server, 1);
      const name = `LotStockExported_20261203_1900${second}.zip`;
      await uploadToInbox(bench, 'Tab001', name, await buildMovementUpload(mapping,
        { movements: [movementRow(`Tab001-00${second}`, { QUANTITE: 1 })], lots: [], lotInformation: [] }));
      await ended;
      await importer.drain();
    }

    assert.equal(downloads(), 1, 'RETR of the refused zip');
    assert.deepEqual(outcomes.map(({ report }) => report?.zips.map(({ name, movements }) => [name, movements])), [
      [[bad, 0]],
      [[bad, 0], ['LotStockExported_20261203_190010.zip', 1]],
      [[bad, 0], ['LotStockExported_20261203_190020.zip', 1]],
      [[bad, 0], ['LotStockExported_20261203_190030.zip', 1]],
    ]);
    for (const { report } of outcomes.slice(1)) {
      assert.match(report?.anomalies.find((anomaly) => anomaly.file === bad)?.reason ?? '',
        /^still left in the inbox, unchanged since /);
    }
    assert.deepEqual(inboxFiles(bench), [bad]);
  });

test('an upload under a temporary name is imported once renamed into the inbox, not before', async (t) => {
  const { server, importer, outcomes, calls } = await watched(t, 60_000);

  let ended = sessionEnded(server, 's0001');
  await upload(server, [`${inbox('Tab001')}/${ZIP}.tmp`]);
  await ended;
  await importer.drain();
  assert.deepEqual(calls, [], 'no import of a .tmp');

  ended = sessionEnded(server, 's0002');
  await withFtpSession(profileOf(server, DEMO), 'test rename', async (client) => {
    await client.rename(`/${inbox('Tab001')}/${ZIP}.tmp`, `/${inbox('Tab001')}/${ZIP}`);
    await client.rename(`/${inbox('Tab001')}/${ZIP}`, `/${inbox('Tab001')}/notes.txt`);
  });
  await ended;
  await importer.drain();

  assert.deepEqual(calls, ['Demo/Tab001']);
  assert.deepEqual(outcomes[0]?.uploads, [`${inbox('Tab001')}/${ZIP}`]);
});

test('a client killed mid-STOR: its upload is not imported; the next full upload is, once, by the real BO',
  async (t) => {
    const { bench, outcomes, importer } = await realBench(t, 7);
    const cutShort: string[] = [];
    bench.server.on('upload-cut-short', ({ path }) => cutShort.push(path));
    const zip = await buildMovementUpload(mapping, { movements: [movementRow('Tab001-0001', { QUANTITE: 2 })],
      lots: [], lotInformation: [] });
    const stockBefore = bench.bo.stock();

    // The client dies: data and control connections reset with half the zip sent.
    let ended = sessionsEnded(bench.server, 1);
    const control = await RawControl.open(bench.server.port);
    t.after(() => control.close());
    await logIn(control, { company: bench.company.name, login: bench.profile.user, password: bench.profile.password });
    await control.command('MKD Entrant/eStock/Tab001');
    await control.command(`MKD ${inbox('Tab001')}`);
    const data = await openDataConnection(control);
    assert.match(await control.command(`STOR ${inbox('Tab001')}/${ZIP}`), /^150 /);
    data.write(zip.subarray(0, Math.floor(zip.length / 2)));
    await new Promise((done) => setTimeout(done, 50));
    data.resetAndDestroy();
    control.socket.resetAndDestroy();
    await ended;
    await importer.drain();
    assert.deepEqual(cutShort, [`${inbox('Tab001')}/${ZIP}`]);
    assert.equal(outcomes.length, 0, 'no import for the upload cut short');

    ended = sessionsEnded(bench.server, 1);
    await uploadToInbox(bench, 'Tab001', LATER_ZIP, zip);
    await ended;
    await importer.drain();

    assert.equal(outcomes.length, 1);
    const report = outcomes[0]?.report;
    assert.equal(report?.movementsImported, 1);
    assert.deepEqual(report?.zips.map(({ name, movements }) => [name, movements]), [[ZIP, 0], [LATER_ZIP, 1]]);
    const changed = bench.bo.stock().filter((line) => {
      const before = stockBefore.find((old) => old.lot === line.lot && old.depot === line.depot &&
        old.location === line.location);
      return before?.quantity !== line.quantity;
    });
    assert.equal(changed.length, 1, 'one stock line changed, by the one movement');
  });

/**
 * The tests of a client program that speaks line-client.ts (ftplib,
 * Commons Net): every operation group over plain FTP and over TLS, and a
 * server where TLS is required. Each client's test file calls it once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  AWKWARD_NAME, COMPANY_FILES, EMPTY_FOLDER, LISTED_FOLDER, LISTED_NAMES, TABLES_ZIP,
  TRANSPORTS, UPLOAD_FOLDER, renameTestFilesIn, useInteropServer, type InteropServer,
} from './fixture.ts';
import type { MlsdEntry, Operation, OperationResult } from './line-client.ts';
import type { SessionRecords } from './session-records.ts';

/** Runs `operations` in one session of the client, with TLS when `secure`. */
export type LineClientRunner =
  (ftp: InteropServer, secure: boolean, operations: readonly Operation[]) => Promise<OperationResult[]>;

const tables = COMPANY_FILES[TABLES_ZIP]!;
const half = Math.floor(tables.length / 2);
const rest = tables.length - half;
// The programs get absolute paths: they list a folder from inside it, then go back to /.
const tablesZip = `/${TABLES_ZIP}`;
const listedFolder = `/${LISTED_FOLDER}`;
const emptyFolder = `/${EMPTY_FOLDER}`;
const uploadFolder = `/${UPLOAD_FOLDER}`;

/** Declares the suites of `client` (e.g. `ftplib`), run by `runner`. */
export function describeLineClient(client: string, runner: LineClientRunner): void {
  for (const { name, tlsMode, secure } of TRANSPORTS) {
    describe(`${client}, ${name}`, () => {
      const ftp = useInteropServer(tlsMode);
      const run: Run = async (operations) => {
        const { result, records } = await ftp().run(() => runner(ftp(), secure, operations));
        records.expectTransport(secure);
        return [result, records];
      };
      declareTests(() => ftp(), run);
    });
  }

  describe(`${client}, server tls required`, () => {
    const ftp = useInteropServer('required');

    test('a TLS client lists and downloads; a plain one is refused', async () => {
      const local = join(ftp().localFolder, 'required.zip');
      const secured = await ftp().run(() =>
        runner(ftp(), true, [['nlst', listedFolder], ['get', tablesZip, local]]));
      const plain = await ftp().run(() => runner(ftp(), false, [['nlst', listedFolder]])
        .then(() => 'listed', (error: Error) => error.message));

      secured.records.expectTls();
      secured.records.expectNoFailure();
      secured.records.expectEqual(secured.result[0]!.names.sort(), LISTED_NAMES, 'the listing');
      secured.records.expectFile(local, tables, 'the download');
      plain.records.expectTrue(plain.result !== 'listed', `${client} listed without TLS`);
      plain.records.expectLoginRefused();
    });
  });
}

type Run = (operations: readonly Operation[]) => Promise<[OperationResult[], SessionRecords]>;

/** MLSD entries as `name type [size]`, but the folder and its parent (`cdir`, `pdir`, RFC 3659). */
function listedEntries(entries: readonly MlsdEntry[]): string[] {
  const listed = entries.map(({ name, type, size }) => ({ name, type: type.toLowerCase(), size }))
    .filter(({ name, type }) => !['cdir', 'pdir'].includes(type) && !['.', '..'].includes(name));
  return listed.map(({ name, type, size }) => (type === 'file' ? `${name} file ${size}` : `${name} ${type}`))
    .sort();
}

function declareTests(ftp: () => InteropServer, run: Run): void {
  test('logs in, lists a folder with LIST and NLST, and an empty folder as nothing', async () => {
    const [[list, nlst, emptyList, emptyNlst], records] = await run([
      ['list', listedFolder], ['nlst', listedFolder], ['list', emptyFolder], ['nlst', emptyFolder],
    ]);

    records.expect('PASS', { reply: 230 });
    records.expect('LIST', { reply: 226 });
    records.expect('NLST', { reply: 226 });
    const lines = list!.lines;
    const shown = LISTED_NAMES.filter((file) => lines.some((line) => line.endsWith(` ${file}`)));
    records.expectEqual([lines.length, shown], [LISTED_NAMES.length, LISTED_NAMES],
      `LIST of ${LISTED_FOLDER}: ${lines.join(' | ')}`);
    records.expectEqual(nlst!.names.sort(), LISTED_NAMES, `NLST of ${LISTED_FOLDER}`);
    records.expectEqual(emptyList!.lines, [], `LIST of the empty ${EMPTY_FOLDER}`);
    records.expectEqual(emptyNlst!.names, [], `NLST of the empty ${EMPTY_FOLDER}`);
  });

  test('lists with MLSD: names, types and sizes', async () => {
    const [[files, folders, empty], records] = await run([
      ['mlsd', listedFolder], ['mlsd', '/Sortant'], ['mlsd', emptyFolder],
    ]);

    records.expectNoFailure();
    records.expectEqual(records.withVerb('MLSD').length, 3, 'the client did not list with MLSD');
    const sizes = LISTED_NAMES.map((file) => {
      const bytes = COMPANY_FILES[`${LISTED_FOLDER}/${file}`]!;
      return `${file} file ${bytes.length}`;
    });
    records.expectEqual(listedEntries(files!.entries), sizes, `MLSD of ${LISTED_FOLDER}`);
    records.expectEqual(listedEntries(folders!.entries), ['HM1 dir', 'ND2 dir', 'eStock dir'],
      'MLSD of /Sortant');
    records.expectEqual(listedEntries(empty!.entries), [], `MLSD of the empty ${EMPTY_FOLDER}`);
  });

  test('downloads a file, and resumes a download from its half', async () => {
    const full = join(ftp().localFolder, 'full.zip');
    const resumed = join(ftp().localFolder, 'resumed.zip');
    writeFileSync(resumed, tables.subarray(0, half));
    const [, records] = await run([['get', tablesZip, full], ['get', tablesZip, resumed, half]]);

    records.expectFirst('RETR', { reply: 226, bytes: tables.length });
    records.expectFile(full, tables, 'the download');
    records.expectResumedDownload(half, rest);
    records.expectFile(resumed, tables, 'the resumed download');
  });

  test('uploads a file, and resumes an upload from its half with REST + STOR and with APPE', async () => {
    const local = join(ftp().localFolder, 'upload.zip');
    writeFileSync(local, tables);
    const [fresh, restarted, appended] = ['Uploaded', 'Restarted', 'Appended']
      .map((file) => `${UPLOAD_FOLDER}/${file}.zip`) as [string, string, string];
    ftp().place(restarted, tables.subarray(0, half));
    ftp().place(appended, tables.subarray(0, half));
    const [, records] = await run([
      ['put', local, `/${fresh}`], ['put', local, `/${restarted}`, half],
      ['append', local, `/${appended}`, half],
    ]);

    records.expectFirst('STOR', { reply: 226, bytes: tables.length });
    records.expectFile(ftp().onDisk(fresh), tables, 'the upload');
    records.expect(`REST ${half}`, { reply: 350 });
    records.expect(`STOR /${restarted}`, { reply: 226, bytes: rest });
    records.expectFile(ftp().onDisk(restarted), tables, 'the upload resumed with REST + STOR');
    records.expect('APPE', { reply: 226, bytes: rest });
    records.expectFile(ftp().onDisk(appended), tables, 'the upload resumed with APPE');
  });

  test('renames a file and deletes another', async () => {
    const bytes = Buffer.from('movements\r\n');
    const [before, after, doomed] = ['Before', 'After', 'Doomed']
      .map((file) => `${UPLOAD_FOLDER}/${file}.zip`) as [string, string, string];
    ftp().place(before, bytes);
    ftp().place(doomed, bytes);
    const [results, records] = await run([
      ['rename', `/${before}`, `/${after}`], ['delete', `/${doomed}`], ['nlst', uploadFolder],
    ]);

    records.expect('RNFR', { reply: 350 });
    records.expect('RNTO', { reply: 250 });
    records.expect('DELE', { reply: 250 });
    records.expectFile(ftp().onDisk(after), bytes, 'the renamed file');
    records.expectEqual(renameTestFilesIn(ftp().namesOnDisk(UPLOAD_FOLDER)), ['After.zip'],
      'the files on disk after the rename and delete');
    records.expectEqual(renameTestFilesIn(results[2]!.names), ['After.zip'], 'the listing after them');
  });

  test(`carries the name ${AWKWARD_NAME} byte for byte`, async () => {
    const local = join(ftp().localFolder, 'awkward.zip');
    const back = join(ftp().localFolder, 'awkward-back.zip');
    writeFileSync(local, tables);
    const remote = `${UPLOAD_FOLDER}/${AWKWARD_NAME}`;
    const [[, nlst, mlsd], records] = await run([
      ['put', local, `/${remote}`], ['nlst', uploadFolder], ['mlsd', uploadFolder],
      ['get', `/${remote}`, back],
    ]);

    records.expect(`STOR /${remote}`, { reply: 226, bytes: tables.length });
    records.expectFile(ftp().onDisk(remote), tables, 'the upload');
    const names = nlst!.names;
    records.expectTrue(names.includes(AWKWARD_NAME), `not in NLST: ${names.join(' | ')}`);
    const entry = mlsd!.entries.find(({ name }) => name === AWKWARD_NAME);
    records.expectEqual(entry?.size, String(tables.length), `its MLSD entry: ${JSON.stringify(entry)}`);
    records.expect(`RETR /${remote}`, { reply: 226, bytes: tables.length });
    records.expectFile(back, tables, 'the download');
  });
}

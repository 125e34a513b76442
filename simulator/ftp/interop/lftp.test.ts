import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { requireTool, runTool } from './client-run.ts';
import {
  AWKWARD_NAME, COMPANY_FILES, DEMO, EMPTY_FOLDER, LISTED_FOLDER, LISTED_NAMES, TABLES_ZIP,
  TRANSPORTS, UPLOAD_FOLDER, renameTestFilesIn, useInteropServer, type InteropServer,
} from './fixture.ts';
import type { SessionRecords } from './session-records.ts';

// lftp is the client of many scripts and admins: it reads FEAT and uses MLSD, SIZE and MDTM
// when they are offered, resumes with REST, and upgrades to TLS on its own unless told not to.

const tables = COMPANY_FILES[TABLES_ZIP]!;
const half = Math.floor(tables.length / 2);
// Separates the outputs of the commands of one script.
const MARK = '--8<--';
const ECHO_MARK = `echo ${MARK}`;

// Without these, lftp retries a failed command for ever, and goes on with the script after it.
const SCRIPT_SETTINGS = [
  'set cmd:fail-exit true', 'set net:max-retries 1', 'set net:timeout 10',
  'set cache:enable no', 'set ftp:passive-mode true',
];
const PLAIN_SETTINGS = ['set ftp:ssl-allow no'];
const TLS_SETTINGS = [
  'set ftp:ssl-force true', 'set ftp:ssl-protect-data true', 'set ssl:verify-certificate no',
];

/** One lftp argument, quoted for its command parser. */
function quoted(argument: string): string {
  assert.ok(!argument.includes("'"), `the lftp scripts here cannot quote ${argument}`);
  return `'${argument}'`;
}

/** A path from the company root, absolute and quoted. */
function remote(path: string): string {
  return quoted(`/${path}`);
}

let scripts = 0;

/** Runs `commands` in one lftp session; returns the output of each part between ECHO_MARKs. */
async function lftp(ftp: InteropServer, secure: boolean, commands: readonly string[]): Promise<string[][]> {
  scripts += 1;
  const script = join(ftp.localFolder, `script-${scripts}.lftp`);
  const open = `open -u ${DEMO.login},${DEMO.password} ftp://127.0.0.1:${ftp.server.port}`;
  const settings = [...SCRIPT_SETTINGS, ...(secure ? TLS_SETTINGS : PLAIN_SETTINGS)];
  writeFileSync(script, [...settings, open, ...commands].join('\n'));
  const { stdout } = await runTool('lftp', ['-f', script]);
  return stdout.split(`${MARK}\n`).map((part) => part.split('\n').filter((line) => line !== ''));
}

before(() => requireTool('lftp', '--version', 'lftp'));

for (const { name, tlsMode, secure } of TRANSPORTS) {
  describe(`lftp, ${name}`, () => {
    const ftp = useInteropServer(tlsMode);
    const run = async (commands: readonly string[]): Promise<[string[][], SessionRecords]> => {
      const { result, records } = await ftp().run(() => lftp(ftp(), secure, commands));
      records.expectTransport(secure);
      return [result, records];
    };

    test('logs in, lists a folder with LIST and NLST, and an empty folder as nothing', async () => {
      const [[list, nlst, emptyList, emptyNlst], records] = await run([
        'set ftp:use-mlsd no',
        `cd ${remote(LISTED_FOLDER)}`, 'cls -1', ECHO_MARK, 'nlist', ECHO_MARK,
        `cd ${remote(EMPTY_FOLDER)}`, 'cls -1', ECHO_MARK, 'nlist',
      ]);

      records.expect('PASS', { reply: 230 });
      records.expect('LIST', { reply: 226 });
      records.expect('NLST', { reply: 226 });
      records.expectEqual(list!.sort(), LISTED_NAMES, `LIST of ${LISTED_FOLDER}`);
      records.expectEqual(nlst!.sort(), LISTED_NAMES, `NLST of ${LISTED_FOLDER}`);
      records.expectEqual(emptyList, [], `LIST of the empty ${EMPTY_FOLDER}`);
      records.expectEqual(emptyNlst, [], `NLST of the empty ${EMPTY_FOLDER}`);
    });

    test('lists with MLSD', async () => {
      const [[files, folders, empty], records] = await run([
        'set ftp:use-mlsd yes',
        `cd ${remote(LISTED_FOLDER)}`, 'cls -1', ECHO_MARK, `cls -1 ${remote('Sortant')}`, ECHO_MARK,
        `cd ${remote(EMPTY_FOLDER)}`, 'cls -1',
      ]);

      records.expectEqual(records.withVerb('MLSD').length, 3, 'lftp did not list with MLSD');
      records.expect('MLSD', { reply: 226 });
      records.expectEqual(records.withVerb('LIST').length, 0, 'lftp fell back to LIST');
      records.expectEqual(files!.sort(), LISTED_NAMES, `MLSD of ${LISTED_FOLDER}`);
      // cls ends a folder's name with a slash: MLSD must have typed them dir.
      records.expectEqual(folders!.sort(), ['/Sortant/HM1/', '/Sortant/ND2/', '/Sortant/eStock/'],
        'MLSD of /Sortant');
      records.expectEqual(empty, [], `MLSD of the empty ${EMPTY_FOLDER}`);
    });

    test('downloads a file, and resumes a download from its half', async () => {
      const full = join(ftp().localFolder, 'full.zip');
      const resumed = join(ftp().localFolder, 'resumed.zip');
      writeFileSync(resumed, tables.subarray(0, half));
      const [, records] = await run([
        `get ${remote(TABLES_ZIP)} -o ${quoted(full)}`,
        `get -c ${remote(TABLES_ZIP)} -o ${quoted(resumed)}`,
      ]);

      records.expectFirst('RETR', { reply: 226, bytes: tables.length });
      records.expectFile(full, tables, 'the download');
      records.expectResumedDownload(half, tables.length - half);
      records.expectFile(resumed, tables, 'the resumed download');
    });

    test('uploads a file, and resumes an upload from its half', async () => {
      const local = join(ftp().localFolder, 'upload.zip');
      writeFileSync(local, tables);
      const fresh = `${UPLOAD_FOLDER}/Uploaded by lftp.zip`;
      const resumed = `${UPLOAD_FOLDER}/Resumed by lftp.zip`;
      ftp().place(resumed, tables.subarray(0, half));
      const [, records] = await run([
        `put ${quoted(local)} -o ${remote(fresh)}`,
        `put -c ${quoted(local)} -o ${remote(resumed)}`,
      ]);

      records.expectFirst('STOR', { reply: 226, bytes: tables.length });
      records.expectFile(ftp().onDisk(fresh), tables, 'the upload');
      records.expectResumedUpload(half, tables.length - half);
      records.expectFile(ftp().onDisk(resumed), tables, 'the resumed upload');
    });

    test('renames a file and deletes another', async () => {
      const bytes = Buffer.from('movements\r\n');
      ftp().place(`${UPLOAD_FOLDER}/Before.zip`, bytes);
      ftp().place(`${UPLOAD_FOLDER}/Doomed.zip`, bytes);
      const [[names], records] = await run([
        `cd ${remote(UPLOAD_FOLDER)}`, 'mv Before.zip After.zip', 'rm Doomed.zip', 'cls -1',
      ]);

      records.expect('RNFR Before.zip', { reply: 350 });
      records.expect('RNTO After.zip', { reply: 250 });
      records.expect('DELE Doomed.zip', { reply: 250 });
      records.expectFile(ftp().onDisk(`${UPLOAD_FOLDER}/After.zip`), bytes, 'the renamed file');
      records.expectEqual(renameTestFilesIn(ftp().namesOnDisk(UPLOAD_FOLDER)), ['After.zip'],
        'the files on disk after the rename and delete');
      records.expectEqual(renameTestFilesIn(names!), ['After.zip'], 'the listing after them');
    });

    test(`carries the name ${AWKWARD_NAME} byte for byte`, async () => {
      const local = join(ftp().localFolder, 'awkward.zip');
      const back = join(ftp().localFolder, 'awkward-back.zip');
      writeFileSync(local, tables);
      const [[mlsd, list], records] = await run([
        `cd ${remote(UPLOAD_FOLDER)}`, `put ${quoted(local)} -o ${quoted(AWKWARD_NAME)}`, 'cls -1',
        ECHO_MARK, 'set ftp:use-mlsd no', 'cls -1', `get ${quoted(AWKWARD_NAME)} -o ${quoted(back)}`,
      ]);

      records.expect(`STOR ${AWKWARD_NAME}`, { reply: 226, bytes: tables.length });
      records.expectFile(ftp().onDisk(`${UPLOAD_FOLDER}/${AWKWARD_NAME}`), tables, 'the upload');
      records.expectTrue(mlsd!.includes(AWKWARD_NAME), `MLSD does not show the name: ${mlsd!.join(' | ')}`);
      records.expectTrue(list!.includes(AWKWARD_NAME), `LIST does not show the name: ${list!.join(' | ')}`);
      records.expect(`RETR ${AWKWARD_NAME}`, { reply: 226, bytes: tables.length });
      records.expectFile(back, tables, 'the download');
    });

    if (secure) {
      test('a client told not to use TLS still works on a server where TLS is optional', async () => {
        const listing = `cls -1 ${remote(LISTED_FOLDER)}`;
        const { result, records } = await ftp().run(() => lftp(ftp(), false, [listing]));

        records.expectPlain();
        records.expect('PASS', { reply: 230 });
        records.expectEqual(result[0]!.sort(), LISTED_NAMES.map((file) => `/${LISTED_FOLDER}/${file}`),
          'the listing');
      });
    }
  });
}

describe('lftp, server tls required', () => {
  const ftp = useInteropServer('required');

  test('a TLS client lists and downloads; a plain one is refused', async () => {
    const local = join(ftp().localFolder, 'required.zip');
    const listing = `cls -1 ${remote(LISTED_FOLDER)}`;
    const secured = await ftp().run(() =>
      lftp(ftp(), true, [listing, `get ${remote(TABLES_ZIP)} -o ${quoted(local)}`]));
    const plain = await ftp().run(() => lftp(ftp(), false, [listing])
      .then(() => 'listed', (error: Error) => error.message));

    secured.records.expectTls();
    secured.records.expectNoFailure();
    secured.records.expectFile(local, tables, 'the download');
    plain.records.expectTrue(plain.result !== 'listed', 'lftp listed without TLS');
    plain.records.expectLoginRefused();
  });
});

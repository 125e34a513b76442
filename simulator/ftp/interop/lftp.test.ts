import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { requireTool, runTool } from './client-run.ts';
import {
  AWKWARD_NAME, COMPANY_FILES, DEMO, EMPTY_FOLDER, LISTED_FOLDER, LISTED_NAMES, TABLES_ZIP, UPLOAD_FOLDER,
  TRANSPORTS, useInteropServer, type InteropServer,
} from './fixture.ts';

// lftp is the client of many scripts and admins: it reads FEAT and uses MLSD, SIZE and MDTM when
// they are offered, resumes with REST, and upgrades to TLS on its own unless told not to.

const tables = COMPANY_FILES[TABLES_ZIP]!;
const half = Math.floor(tables.length / 2);
// Separates the outputs of the commands of one script.
const MARK = '--8<--';

// Without these, lftp retries a failed command forever and carries on with the script after a failure.
const SCRIPT_SETTINGS = [
  'set cmd:fail-exit true', 'set net:max-retries 1', 'set net:timeout 10', 'set cache:enable no',
  'set ftp:passive-mode true',
];
const PLAIN_SETTINGS = ['set ftp:ssl-allow no'];
const TLS_SETTINGS = ['set ftp:ssl-force true', 'set ftp:ssl-protect-data true', 'set ssl:verify-certificate no'];

/** One lftp argument, quoted for its command parser. */
function quoted(argument: string): string {
  assert.ok(!argument.includes("'"), `the lftp scripts here cannot quote ${argument}`);
  return `'${argument}'`;
}

let scripts = 0;

/** Runs `commands` in one lftp session; returns the output of each, split at `echo MARK`. */
async function lftp(ftp: InteropServer, secure: boolean, commands: readonly string[]): Promise<string[]> {
  scripts += 1;
  const script = join(ftp.localFolder, `script-${scripts}.lftp`);
  const open = `open -u ${DEMO.login},${DEMO.password} ftp://127.0.0.1:${ftp.server.port}`;
  writeFileSync(script, [...SCRIPT_SETTINGS, ...(secure ? TLS_SETTINGS : PLAIN_SETTINGS), open, ...commands]
    .join('\n'));
  const { stdout } = await runTool('lftp', ['-f', script]);
  return stdout.split(`${MARK}\n`);
}

function linesOf(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((line) => line !== '');
}

before(() => requireTool('lftp', '--version', 'lftp'));

for (const { name, tlsMode, secure } of TRANSPORTS) {
  describe(`lftp, ${name}`, () => {
    const ftp = useInteropServer(tlsMode);

    test('logs in, lists a folder with LIST and NLST, and an empty folder as nothing', async () => {
      const { result, records } = await ftp().run(() => lftp(ftp(), secure, [
        'set ftp:use-mlsd no',
        `cd ${quoted(`/${LISTED_FOLDER}`)}`, 'cls -1', `echo ${MARK}`, 'nlist', `echo ${MARK}`,
        `cd ${quoted(`/${EMPTY_FOLDER}`)}`, 'cls -1', `echo ${MARK}`, 'nlist',
      ]));

      records.expectTransport(secure);
      records.expect('PASS', { reply: 230 });
      records.expect('LIST', { reply: 226 });
      records.expect('NLST', { reply: 226 });
      const [list, nlst, emptyList, emptyNlst] = result;
      assert.deepEqual(linesOf(list).sort(), LISTED_NAMES, `LIST of ${LISTED_FOLDER}\n${records.describe()}`);
      assert.deepEqual(linesOf(nlst).sort(), LISTED_NAMES, `NLST of ${LISTED_FOLDER}\n${records.describe()}`);
      assert.deepEqual(linesOf(emptyList), [], `LIST of the empty ${EMPTY_FOLDER}\n${records.describe()}`);
      assert.deepEqual(linesOf(emptyNlst), [], `NLST of the empty ${EMPTY_FOLDER}\n${records.describe()}`);
    });

    test('lists with MLSD', async () => {
      const { result, records } = await ftp().run(() => lftp(ftp(), secure, [
        'set ftp:use-mlsd yes',
        `cd ${quoted(`/${LISTED_FOLDER}`)}`, 'cls -1', `echo ${MARK}`, `cls -1 ${quoted('/Sortant')}`, `echo ${MARK}`,
        `cd ${quoted(`/${EMPTY_FOLDER}`)}`, 'cls -1',
      ]));

      records.expectTransport(secure);
      assert.equal(records.withVerb('MLSD').length, 3, `lftp did not list with MLSD\n${records.describe()}`);
      records.expect('MLSD', { reply: 226 });
      assert.equal(records.withVerb('LIST').length, 0, `lftp fell back to LIST\n${records.describe()}`);
      const [files, folders, empty] = result;
      assert.deepEqual(linesOf(files).sort(), LISTED_NAMES, `MLSD of ${LISTED_FOLDER}\n${records.describe()}`);
      assert.deepEqual(linesOf(folders).sort(), ['/Sortant/HM1/', '/Sortant/ND2/', '/Sortant/eStock/'],
        `MLSD of /Sortant: folders must be typed dir\n${records.describe()}`);
      assert.deepEqual(linesOf(empty), [], `MLSD of the empty ${EMPTY_FOLDER}\n${records.describe()}`);
    });

    test('downloads a file, and resumes a download from its half', async () => {
      const full = join(ftp().localFolder, 'full.zip');
      const resumed = join(ftp().localFolder, 'resumed.zip');
      writeFileSync(resumed, tables.subarray(0, half));
      const { records } = await ftp().run(() => lftp(ftp(), secure, [
        `get ${quoted(`/${TABLES_ZIP}`)} -o ${quoted(full)}`,
        `get -c ${quoted(`/${TABLES_ZIP}`)} -o ${quoted(resumed)}`,
      ]));

      records.expectTransport(secure);
      const whole = records.withVerb('RETR')[0];
      assert.deepEqual([whole?.reply, whole?.bytes], [226, tables.length], `the first RETR\n${records.describe()}`);
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
      const { records } = await ftp().run(() => lftp(ftp(), secure, [
        `put ${quoted(local)} -o ${quoted(`/${fresh}`)}`,
        `put -c ${quoted(local)} -o ${quoted(`/${resumed}`)}`,
      ]));

      records.expectTransport(secure);
      const whole = records.withVerb('STOR')[0];
      assert.deepEqual([whole?.reply, whole?.bytes], [226, tables.length], `the first STOR\n${records.describe()}`);
      records.expectFile(ftp().onDisk(fresh), tables, 'the upload');
      records.expectResumedUpload(half, tables.length - half);
      records.expectFile(ftp().onDisk(resumed), tables, 'the resumed upload');
    });

    test('renames a file and deletes another', async () => {
      const bytes = Buffer.from('movements\r\n');
      ftp().place(`${UPLOAD_FOLDER}/Before.zip`, bytes);
      ftp().place(`${UPLOAD_FOLDER}/Doomed.zip`, bytes);
      const { result, records } = await ftp().run(() => lftp(ftp(), secure, [
        `cd ${quoted(`/${UPLOAD_FOLDER}`)}`, 'mv Before.zip After.zip', 'rm Doomed.zip', 'cls -1',
      ]));

      records.expectTransport(secure);
      records.expect('RNFR Before.zip', { reply: 350 });
      records.expect('RNTO After.zip', { reply: 250 });
      records.expect('DELE Doomed.zip', { reply: 250 });
      records.expectFile(ftp().onDisk(`${UPLOAD_FOLDER}/After.zip`), bytes, 'the renamed file');
      assert.equal(existsSync(ftp().onDisk(`${UPLOAD_FOLDER}/Before.zip`)), false, 'the old name is still there');
      assert.equal(existsSync(ftp().onDisk(`${UPLOAD_FOLDER}/Doomed.zip`)), false, 'the deleted file is still there');
      const names = linesOf(result[0]);
      assert.ok(names.includes('After.zip') && !names.includes('Before.zip') && !names.includes('Doomed.zip'),
        `the listing after the rename and delete: ${names.join(', ')}`);
    });

    test(`carries the name ${AWKWARD_NAME} byte for byte`, async () => {
      const local = join(ftp().localFolder, 'awkward.zip');
      const back = join(ftp().localFolder, 'awkward-back.zip');
      writeFileSync(local, tables);
      const { result, records } = await ftp().run(() => lftp(ftp(), secure, [
        `cd ${quoted(`/${UPLOAD_FOLDER}`)}`, `put ${quoted(local)} -o ${quoted(AWKWARD_NAME)}`, 'cls -1',
        `echo ${MARK}`, 'set ftp:use-mlsd no', 'cls -1', `get ${quoted(AWKWARD_NAME)} -o ${quoted(back)}`,
      ]));

      records.expectTransport(secure);
      records.expect(`STOR ${AWKWARD_NAME}`, { reply: 226, bytes: tables.length });
      const remote = ftp().onDisk(`${UPLOAD_FOLDER}/${AWKWARD_NAME}`);
      records.expectFile(remote, tables, 'the uploaded file');
      assert.ok(linesOf(result[0]).includes(AWKWARD_NAME), `MLSD does not show the name: ${result[0]}`);
      assert.ok(linesOf(result[1]).includes(AWKWARD_NAME), `LIST does not show the name: ${result[1]}`);
      records.expect(`RETR ${AWKWARD_NAME}`, { reply: 226, bytes: tables.length });
      records.expectFile(back, tables, 'the downloaded file');
    });

    if (secure) {
      test('a client told not to use TLS still works on a server where TLS is optional', async () => {
        const listing = `cls -1 ${quoted(`/${LISTED_FOLDER}`)}`;
        const { result, records } = await ftp().run(() => lftp(ftp(), false, [listing]));

        records.expectPlain();
        records.expect('PASS', { reply: 230 });
        assert.deepEqual(linesOf(result[0]).sort(), LISTED_NAMES.map((file) => `/${LISTED_FOLDER}/${file}`));
      });
    }
  });
}

describe('lftp, server tls required', () => {
  const ftp = useInteropServer('required');

  test('a TLS client lists and downloads; a plain one is refused', async () => {
    const local = join(ftp().localFolder, 'required.zip');
    const secured = await ftp().run(() => lftp(ftp(), true, [
      `cls -1 ${quoted(`/${LISTED_FOLDER}`)}`, `get ${quoted(`/${TABLES_ZIP}`)} -o ${quoted(local)}`,
    ]));
    const plain = await ftp().run(() => lftp(ftp(), false, [`cls -1 ${quoted(`/${LISTED_FOLDER}`)}`])
      .then(() => 'listed', (error: Error) => error.message));

    secured.records.expectTls();
    secured.records.expectNoFailure();
    secured.records.expectFile(local, tables, 'the download');
    assert.notEqual(plain.result, 'listed', `lftp listed without TLS\n${plain.records.describe()}`);
    plain.records.expectLoginRefused();
  });
});

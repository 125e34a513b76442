import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { LoginRefusal } from '../server.ts';
import { requireTool, runTool } from './client-run.ts';
import {
  AWKWARD_NAME, COMPANY_FILES, DEMO, EMPTY_FOLDER, LISTED_FOLDER, LISTED_NAMES, TABLES_ZIP,
  TRANSPORTS, UPLOAD_FOLDER, renameTestFilesIn, useInteropServer, type InteropServer,
} from './fixture.ts';

// curl is what people reach for to check a server by hand, and libcurl sits in many apps:
// EPSV before PASV, a CWD into each folder of the path, SIZE then APPE to resume an upload.

const tables = COMPANY_FILES[TABLES_ZIP]!;
const half = Math.floor(tables.length / 2);

/** The curl options of a session: login, passive mode, and TLS when `secure`. */
function curlOptions(secure: boolean): string[] {
  const options = ['--silent', '--show-error', '--max-time', '20', '--ftp-pasv'];
  options.push('--user', `${DEMO.login}:${DEMO.password}`);
  return secure ? [...options, '--ssl-reqd', '--insecure'] : options;
}

/** The URL of a path from the company root; a folder's URL ends with `/`. */
function urlOf(ftp: InteropServer, path: string): string {
  return `${ftp.server.url}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Runs curl; resolves with the lines it printed. */
async function curl(secure: boolean, args: readonly string[]): Promise<string[]> {
  const { stdout } = await runTool('curl', [...curlOptions(secure), ...args]);
  return stdout.split(/\r?\n/).filter((line) => line !== '');
}

before(() => requireTool('curl', '--version', 'curl'));

for (const { name, tlsMode, secure } of TRANSPORTS) {
  describe(`curl, ${name}`, () => {
    const ftp = useInteropServer(tlsMode);
    const folderUrl = (folder: string): string => urlOf(ftp(), `${folder}/`);

    test('logs in, lists a folder, and lists an empty folder as nothing', async () => {
      const { result, records } = await ftp().run(async () => ({
        names: await curl(secure, ['--list-only', folderUrl(LISTED_FOLDER)]),
        lines: await curl(secure, [folderUrl(LISTED_FOLDER)]),
        emptyNames: await curl(secure, ['--list-only', folderUrl(EMPTY_FOLDER)]),
        emptyLines: await curl(secure, [folderUrl(EMPTY_FOLDER)]),
      }));

      records.expectTransport(secure);
      records.expect('PASS', { reply: 230 });
      records.expectNoFailure();
      records.expectEqual(result.names.sort(), LISTED_NAMES, `NLST of ${LISTED_FOLDER}`);
      const shown = LISTED_NAMES.filter((file) => result.lines.some((line) => line.endsWith(` ${file}`)));
      records.expectEqual([result.lines.length, shown], [LISTED_NAMES.length, LISTED_NAMES],
        `LIST of ${LISTED_FOLDER}: ${result.lines.join(' | ')}`);
      records.expectEqual(result.emptyNames, [], `NLST of the empty ${EMPTY_FOLDER}`);
      records.expectEqual(result.emptyLines, [], `LIST of the empty ${EMPTY_FOLDER}`);
    });

    test('downloads a file over EPSV and PASV, and resumes a download from its half', async () => {
      const [epsv, pasv, resumed] = ['epsv.zip', 'pasv.zip', 'resumed.zip']
        .map((file) => join(ftp().localFolder, file)) as [string, string, string];
      writeFileSync(resumed, tables.subarray(0, half));
      const url = urlOf(ftp(), TABLES_ZIP);
      const { records } = await ftp().run(async () => {
        await curl(secure, ['-o', epsv, url]);
        await curl(secure, ['--disable-epsv', '-o', pasv, url]);
        await curl(secure, ['--continue-at', '-', '-o', resumed, url]);
      });

      records.expectTransport(secure);
      records.expectNoFailure();
      records.expect('EPSV', { reply: 229 });
      records.expect('PASV', { reply: 227 });
      records.expectFile(epsv, tables, 'the EPSV download');
      records.expectFile(pasv, tables, 'the PASV download');
      records.expectResumedDownload(half, tables.length - half);
      records.expectFile(resumed, tables, 'the resumed download');
    });

    test('uploads a file into a new folder, and resumes an upload from its half', async () => {
      const local = join(ftp().localFolder, 'upload.zip');
      writeFileSync(local, tables);
      const fresh = 'Entrant/eStock/Téléphone 1/MvtStocks/LotStockExported_20241015_103000.zip';
      const resumed = `${UPLOAD_FOLDER}/Resumed by curl.zip`;
      ftp().place(resumed, tables.subarray(0, half));
      const { records } = await ftp().run(async () => {
        await curl(secure, ['--ftp-create-dirs', '-T', local, urlOf(ftp(), fresh)]);
        await curl(secure, ['--continue-at', '-', '-T', local, urlOf(ftp(), resumed)]);
      });

      records.expectTransport(secure);
      // curl learns that a folder is missing from the 550 to its CWD.
      records.expectNoFailure(['CWD']);
      records.expect('MKD', { reply: 257 });
      records.expect('STOR', { reply: 226, bytes: tables.length });
      records.expectFile(ftp().onDisk(fresh), tables, 'the upload');
      records.expect('SIZE', { reply: 213 });
      records.expectResumedUpload(half, tables.length - half);
      records.expectFile(ftp().onDisk(resumed), tables, 'the resumed upload');
    });

    test('renames a file and deletes another', async () => {
      const bytes = Buffer.from('movements\r\n');
      ftp().place(`${UPLOAD_FOLDER}/Before.zip`, bytes);
      ftp().place(`${UPLOAD_FOLDER}/Doomed.zip`, bytes);
      const quotes = [
        `RNFR /${UPLOAD_FOLDER}/Before.zip`, `RNTO /${UPLOAD_FOLDER}/After.zip`,
        `DELE /${UPLOAD_FOLDER}/Doomed.zip`,
      ].flatMap((command) => ['--quote', command]);
      const { result, records } = await ftp().run(() =>
        curl(secure, [...quotes, '--list-only', folderUrl(UPLOAD_FOLDER)]));

      records.expectTransport(secure);
      records.expect('RNFR', { reply: 350 });
      records.expect('RNTO', { reply: 250 });
      records.expect('DELE', { reply: 250 });
      records.expectFile(ftp().onDisk(`${UPLOAD_FOLDER}/After.zip`), bytes, 'the renamed file');
      records.expectEqual(renameTestFilesIn(ftp().namesOnDisk(UPLOAD_FOLDER)), ['After.zip'],
        'the files on disk after the rename and delete');
      records.expectEqual(renameTestFilesIn(result), ['After.zip'], 'the listing after them');
    });

    test(`carries the name ${AWKWARD_NAME} byte for byte`, async () => {
      const local = join(ftp().localFolder, 'awkward.zip');
      const back = join(ftp().localFolder, 'awkward-back.zip');
      writeFileSync(local, tables);
      const remote = `${UPLOAD_FOLDER}/${AWKWARD_NAME}`;
      const { result, records } = await ftp().run(async () => {
        await curl(secure, ['-T', local, urlOf(ftp(), remote)]);
        const names = await curl(secure, ['--list-only', folderUrl(UPLOAD_FOLDER)]);
        await curl(secure, ['-o', back, urlOf(ftp(), remote)]);
        return names;
      });

      records.expectTransport(secure);
      records.expect(`STOR ${AWKWARD_NAME}`, { reply: 226, bytes: tables.length });
      records.expectFile(ftp().onDisk(remote), tables, 'the upload');
      records.expectTrue(result.includes(AWKWARD_NAME), `NLST does not show it: ${result.join(' | ')}`);
      records.expect(`RETR ${AWKWARD_NAME}`, { reply: 226, bytes: tables.length });
      records.expectFile(back, tables, 'the download');
    });

    if (secure) {
      test('a plain client still works on a server where TLS is optional', async () => {
        const { result, records } = await ftp().run(() =>
          curl(false, ['--list-only', folderUrl(LISTED_FOLDER)]));

        records.expectPlain();
        records.expect('NLST', { reply: 226 });
        records.expectEqual(result.sort(), LISTED_NAMES, 'the listing');
      });
    }
  });
}

describe('curl, server tls required', () => {
  const ftp = useInteropServer('required');

  test('a TLS client lists, downloads and uploads', async () => {
    const local = join(ftp().localFolder, 'required.zip');
    const remote = `${UPLOAD_FOLDER}/Required.zip`;
    const { result, records } = await ftp().run(async () => {
      const names = await curl(true, ['--list-only', urlOf(ftp(), `${LISTED_FOLDER}/`)]);
      await curl(true, ['-o', local, urlOf(ftp(), TABLES_ZIP)]);
      await curl(true, ['-T', local, urlOf(ftp(), remote)]);
      return names;
    });

    records.expectTls();
    records.expectNoFailure();
    records.expectEqual(result.sort(), LISTED_NAMES, 'the listing');
    records.expectFile(local, tables, 'the download');
    records.expectFile(ftp().onDisk(remote), tables, 'the upload');
  });

  test('a plain client is refused before it can log in', async () => {
    const refusals: LoginRefusal[] = [];
    ftp().server.on('login-refused', ({ reason }) => refusals.push(reason));
    const { result, records } = await ftp().run(() =>
      curl(false, ['--list-only', urlOf(ftp(), `${LISTED_FOLDER}/`)])
        .then(() => 'listed', (error: Error) => error.message));

    records.expectTrue(result !== 'listed', 'curl listed the folder without TLS');
    records.expectLoginRefused();
    records.expectEqual(refusals, ['tls-required'], 'the login-refused events');
  });
});

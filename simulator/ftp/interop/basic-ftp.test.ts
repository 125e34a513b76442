import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { Client, FileType, type FileInfo } from 'basic-ftp';
import {
  AWKWARD_NAME, COMPANY_FILES, DEMO, EMPTY_FOLDER, LISTED_FOLDER, LISTED_NAMES, TABLES_ZIP,
  TRANSPORTS, UPLOAD_FOLDER, renameTestFilesIn, useInteropServer, type ClientRun, type InteropServer,
} from './fixture.ts';

// basic-ftp is the client of the back office and of the virtual device: it prefers MLSD
// when FEAT offers MLST, tries `LIST -a` before `LIST`, resumes uploads with APPE, and
// reuses the control link's TLS session on every data link.

const tables = COMPANY_FILES[TABLES_ZIP]!;
const half = Math.floor(tables.length / 2);
const CLIENT_TIMEOUT_MS = 10_000;
// What basic-ftp tries when the server offers no MLSD.
const LIST_COMMANDS = ['LIST -a', 'LIST'];

type Work<T> = (client: Client) => Promise<T>;

/** Runs `work` on a logged-in client, closed afterwards. */
async function withClient<T>(ftp: InteropServer, secure: boolean, work: Work<T>): Promise<T> {
  const client = new Client(CLIENT_TIMEOUT_MS);
  try {
    await client.access({
      host: '127.0.0.1', port: ftp.server.port, user: DEMO.login, password: DEMO.password,
      secure, secureOptions: { rejectUnauthorized: false },
    });
    return await work(client);
  } finally {
    client.close();
  }
}

async function downloaded(client: Client, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await client.downloadTo(new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(chunk);
      done();
    },
  }), path);
  return Buffer.concat(chunks);
}

function namesOf(files: readonly FileInfo[]): string[] {
  return files.map((file) => file.name).sort();
}

for (const { name, tlsMode, secure } of TRANSPORTS) {
  describe(`basic-ftp, ${name}`, () => {
    const ftp = useInteropServer(tlsMode);
    const run = <T>(work: Work<T>): Promise<ClientRun<T>> =>
      ftp().run(() => withClient(ftp(), secure, work));

    test('logs in, lists a folder with LIST, and an empty folder as nothing', async () => {
      const { result, records } = await run(async (client) => {
        client.availableListCommands = LIST_COMMANDS;
        const listed = await client.list(`/${LISTED_FOLDER}`);
        return { listed, empty: await client.list(`/${EMPTY_FOLDER}`) };
      });

      records.expectTransport(secure);
      records.expect('PASS', { reply: 230 });
      records.expectNoFailure();
      records.expectEqual(records.withVerb('MLSD').length, 0, 'basic-ftp was told to use LIST');
      records.expectEqual(namesOf(result.listed), LISTED_NAMES, `LIST of ${LISTED_FOLDER}`);
      records.expectEqual(namesOf(result.empty), [], `LIST of the empty ${EMPTY_FOLDER}`);
    });

    test('lists with MLSD, which it picks from FEAT: names, types and sizes', async () => {
      const { result, records } = await run(async (client) => ({
        commands: client.availableListCommands,
        files: await client.list(`/${LISTED_FOLDER}`),
        folders: await client.list('/Sortant'),
        empty: await client.list(`/${EMPTY_FOLDER}`),
      }));

      records.expectTransport(secure);
      records.expectNoFailure();
      records.expectEqual(result.commands[0], 'MLSD', `FEAT does not offer MLST`);
      records.expectEqual(records.withVerb('MLSD').length, 3, 'basic-ftp did not list with MLSD');
      const files = result.files.map((file) => [file.name, file.type, file.size]).sort();
      const expected = LISTED_NAMES.map((file) =>
        [file, FileType.File, COMPANY_FILES[`${LISTED_FOLDER}/${file}`]!.length]);
      records.expectEqual(files, expected, `MLSD of ${LISTED_FOLDER}`);
      const folders = result.folders.map(({ name, isDirectory, type }) => `${name} ${isDirectory ? 'dir' : type}`);
      records.expectEqual(folders.sort(), ['HM1 dir', 'ND2 dir', 'eStock dir'], 'MLSD of /Sortant');
      records.expectEqual(namesOf(result.empty), [], `MLSD of the empty ${EMPTY_FOLDER}`);
    });

    test('downloads a file, and resumes a download from its half', async () => {
      const resumed = join(ftp().localFolder, 'resumed.zip');
      writeFileSync(resumed, tables.subarray(0, half));
      const { result, records } = await run(async (client) => {
        const whole = await downloaded(client, `/${TABLES_ZIP}`);
        await client.downloadTo(resumed, `/${TABLES_ZIP}`, half);
        return whole;
      });

      records.expectTransport(secure);
      records.expectNoFailure();
      records.expectFirst('RETR', { reply: 226, bytes: tables.length });
      records.expectTrue(result.equals(tables), `the download differs`);
      records.expectResumedDownload(half, tables.length - half);
      records.expectFile(resumed, tables, 'the resumed download');
    });

    test('uploads a file, and resumes an upload from its half (APPE)', async () => {
      const fresh = `${UPLOAD_FOLDER}/Uploaded by basic-ftp.zip`;
      const resumed = `${UPLOAD_FOLDER}/Resumed by basic-ftp.zip`;
      ftp().place(resumed, tables.subarray(0, half));
      const { records } = await run(async (client) => {
        await client.uploadFrom(Readable.from([tables]), `/${fresh}`);
        await client.appendFrom(Readable.from([tables.subarray(half)]), `/${resumed}`);
      });

      records.expectTransport(secure);
      records.expectNoFailure();
      records.expect('STOR', { reply: 226, bytes: tables.length });
      records.expectFile(ftp().onDisk(fresh), tables, 'the upload');
      records.expectResumedUpload(half, tables.length - half);
      records.expectFile(ftp().onDisk(resumed), tables, 'the resumed upload');
    });

    test('renames a file and deletes another', async () => {
      const bytes = Buffer.from('movements\r\n');
      const [before, after, doomed] = ['Before', 'After', 'Doomed']
        .map((file) => `${UPLOAD_FOLDER}/${file}.zip`);
      ftp().place(before!, bytes);
      ftp().place(doomed!, bytes);
      const { result, records } = await run(async (client) => {
        await client.rename(`/${before!}`, `/${after!}`);
        await client.remove(`/${doomed!}`);
        return namesOf(await client.list(`/${UPLOAD_FOLDER}`));
      });

      records.expectTransport(secure);
      records.expect('RNFR', { reply: 350 });
      records.expect('RNTO', { reply: 250 });
      records.expect('DELE', { reply: 250 });
      records.expectFile(ftp().onDisk(after!), bytes, 'the renamed file');
      records.expectEqual(renameTestFilesIn(ftp().namesOnDisk(UPLOAD_FOLDER)), ['After.zip'],
        'the files on disk after the rename and delete');
      records.expectEqual(renameTestFilesIn(result), ['After.zip'], 'the listing after them');
    });

    test(`carries the name ${AWKWARD_NAME} byte for byte`, async () => {
      const remote = `${UPLOAD_FOLDER}/${AWKWARD_NAME}`;
      const { result, records } = await run(async (client) => {
        await client.uploadFrom(Readable.from([tables]), `/${remote}`);
        const names = namesOf(await client.list(`/${UPLOAD_FOLDER}`));
        return { names, back: await downloaded(client, `/${remote}`) };
      });

      records.expectTransport(secure);
      records.expect(`STOR /${remote}`, { reply: 226, bytes: tables.length });
      records.expectFile(ftp().onDisk(remote), tables, 'the upload');
      records.expectTrue(result.names.includes(AWKWARD_NAME), `not listed: ${result.names.join(' | ')}`);
      records.expect(`RETR /${remote}`, { reply: 226, bytes: tables.length });
      records.expectTrue(result.back.equals(tables), 'the downloaded file differs');
    });
  });
}

describe('basic-ftp, server tls required', () => {
  const ftp = useInteropServer('required');

  test('a TLS client lists and downloads; a plain one is refused', async () => {
    const secured = await ftp().run(() => withClient(ftp(), true, async (client) => ({
      names: namesOf(await client.list(`/${LISTED_FOLDER}`)),
      bytes: await downloaded(client, `/${TABLES_ZIP}`),
    })));
    const listing: Work<FileInfo[]> = (client) => client.list(`/${LISTED_FOLDER}`);
    const plain = await ftp().run(() => withClient(ftp(), false, listing)
      .then(() => 'listed', (error: Error) => error.message));

    secured.records.expectTls();
    secured.records.expectNoFailure();
    secured.records.expectEqual(secured.result.names, LISTED_NAMES, 'the listing');
    secured.records.expectTrue(secured.result.bytes.equals(tables), 'the download differs');
    plain.records.expectTrue(plain.result !== 'listed', `basic-ftp listed without TLS`);
    plain.records.expectLoginRefused();
  });
});

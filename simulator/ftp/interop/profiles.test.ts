import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from 'basic-ftp';
import { loadServerProfile } from '../profiles/load-profile.ts';
import { requireTool, runTool } from './client-run.ts';
import { prepareCommonsNet, runCommonsNet } from './commons-net-client.ts';
import {
  COMPANY_FILES, DEMO, LISTED_FOLDER, LISTED_NAMES, UPLOAD_FOLDER, useInteropServer, type InteropServer,
} from './fixture.ts';
import { operationLines, operationResults, type Operation, type OperationResult } from './line-client.ts';
import type { SessionRecords } from './session-records.ts';

// Real clients against the server profiles that change what they see: which ones resume the
// control connection's TLS session on data connections (vsftpd refuses the others with 522),
// which ones read IIS's MS-DOS listing, and a name sent in Windows-1252.

const FTPLIB_SCRIPT = fileURLToPath(new URL('ftplib_client.py', import.meta.url));
const upload = randomBytes(100_001);

/** Runs ftplib_client.py: `transport` plain, tls, tls-reuse or tls12-id-reuse; names in `encoding` on the wire. */
async function ftplib(ftp: InteropServer, transport: string, operations: readonly Operation[],
  encoding = 'utf-8'): Promise<OperationResult[]> {
  const args = [FTPLIB_SCRIPT, '127.0.0.1', String(ftp.server.port), DEMO.login, DEMO.password, transport, encoding];
  const { stdout } = await runTool('python3', args, { input: operationLines(operations) });
  return operationResults(stdout, operations);
}

/** A basic-ftp session as the virtual device opens it, TLS when `secure`. */
async function basicFtp(ftp: InteropServer, secure: boolean): Promise<Client> {
  const client = new Client(10_000);
  await client.access({
    host: '127.0.0.1', port: ftp.server.port, user: DEMO.login, password: DEMO.password,
    secure, secureOptions: { rejectUnauthorized: false },
  });
  return client;
}

/** The error message of `work`, or `succeeded`. */
function outcome(work: Promise<unknown>): Promise<string> {
  return work.then(() => 'succeeded', (error: Error) => error.message);
}

/**
 * Asserts the last STOR was refused with `code` by the vsftpd profile, the
 * transcript saying why, and that the client failed. Clients see the data
 * connection closed under their upload (a reset, a broken pipe) before they
 * read the reply, as with a real vsftpd, so only the server knows the code.
 */
function expectReuseRefused(records: SessionRecords, code: number, clientOutcome: string): void {
  const stor = records.expect('STOR', { reply: code });
  records.expectTrue(/^vsftpd: the data connection did not resume/.test(stor.profile ?? ''),
    `the refused STOR's transcript line says why: ${stor.profile}`);
  records.expectTrue(clientOutcome !== 'succeeded', 'the client took the refused upload for done');
}

describe('vsftpd profile, TLS required: TLS session reuse on data connections', () => {
  const ftp = useInteropServer('required', loadServerProfile('vsftpd'));
  const local = (): string => {
    const file = join(ftp().localFolder, 'upload.zip');
    writeFileSync(file, upload);
    return file;
  };

  test('basic-ftp, the device\'s client, resumes it: uploads, lists and downloads', async () => {
    const { result, records } = await ftp().run(async () => {
      const client = await basicFtp(ftp(), true);
      try {
        await client.uploadFrom(local(), `/${UPLOAD_FOLDER}/basic-ftp.zip`);
        const names = (await client.list(`/${UPLOAD_FOLDER}`)).map((entry) => entry.name);
        await client.downloadTo(join(ftp().localFolder, 'back.zip'), `/${UPLOAD_FOLDER}/basic-ftp.zip`);
        return names;
      } finally {
        client.close();
      }
    });

    records.expectTls();
    records.expectNoFailure();
    records.expectTrue(result.includes('basic-ftp.zip'), `listed: ${result.join(', ')}`);
    records.expectFile(ftp().onDisk(`${UPLOAD_FOLDER}/basic-ftp.zip`), upload, 'the upload');
    records.expectFile(join(ftp().localFolder, 'back.zip'), upload, 'the download');
  });

  test('curl resumes it: uploads and lists', async () => {
    await requireTool('curl', '--version', 'curl');
    const url = `${ftp().server.url}/${UPLOAD_FOLDER}/`;
    const curl = ['--silent', '--show-error', '--max-time', '20', '--ssl-reqd', '--insecure',
      '--user', `${DEMO.login}:${DEMO.password}`];
    const { result, records } = await ftp().run(async () => {
      await runTool('curl', [...curl, '-T', local(), `${url}curl.zip`]);
      return (await runTool('curl', [...curl, '--list-only', url])).stdout;
    });

    records.expectTls();
    records.expectNoFailure(['CWD']);
    records.expect('STOR', { reply: 226, bytes: upload.length });
    records.expectTrue(result.split(/\r?\n/).includes('curl.zip'), `listed: ${result}`);
  });

  test('Python\'s ftplib FTP_TLS does not resume it: its upload is refused with 522', async () => {
    await requireTool('python3', '--version', 'python3');
    const { result, records } = await ftp().run(() =>
      outcome(ftplib(ftp(), 'tls', [['put', local(), `/${UPLOAD_FOLDER}/ftplib.zip`]])));

    expectReuseRefused(records, 522, result);
    records.expectTrue(!ftp().namesOnDisk(UPLOAD_FOLDER).includes('ftplib.zip'), 'the refused upload left a file');
  });

  const resuming = [
    ['tls-reuse', 'ftplib made to pass the control connection\'s session resumes it', 'ftplib-reuse.zip'],
    ['tls12-id-reuse', 'ftplib under TLS 1.2 without tickets resumes it by session id', 'ftplib-session-id.zip'],
  ] as const;
  for (const [transport, title, name] of resuming) {
    test(`${title}: uploads and lists`, async () => {
      await requireTool('python3', '--version', 'python3');
      const remote = `/${UPLOAD_FOLDER}/${name}`;
      const { result, records } = await ftp().run(() =>
        ftplib(ftp(), transport, [['put', local(), remote], ['nlst', `/${UPLOAD_FOLDER}`]]));

      records.expectTls();
      records.expectNoFailure();
      records.expectFile(ftp().onDisk(remote.slice(1)), upload, 'the upload');
      records.expectTrue(result[1]!.names.includes(name), `listed: ${result[1]!.names.join(', ')}`);
    });
  }

  test('Apache Commons Net FTPSClient does not resume it: its upload is refused with 522', async () => {
    const classes = await prepareCommonsNet();
    const { result, records } = await ftp().run(() =>
      outcome(runCommonsNet(classes, ftp(), true, [['put', local(), `/${UPLOAD_FOLDER}/commons-net.zip`]])));

    expectReuseRefused(records, 522, result);
    records.expectTrue(!ftp().namesOnDisk(UPLOAD_FOLDER).includes('commons-net.zip'), 'the refused upload left a file');
  });
});

describe('iis profile: MS-DOS listings, no MLSD', () => {
  const ftp = useInteropServer('off', loadServerProfile('iis'));
  const sizes = LISTED_NAMES.map((name) => COMPANY_FILES[`${LISTED_FOLDER}/${name}`]!.length);

  test('lftp parses the listing: names and sizes', async () => {
    await requireTool('lftp', '--version', 'lftp');
    const script = join(ftp().localFolder, 'iis.lftp');
    writeFileSync(script, ['set cmd:fail-exit true', 'set net:max-retries 1', 'set net:timeout 10',
      'set ftp:passive-mode true', 'set ftp:ssl-allow no',
      `open -u ${DEMO.login},${DEMO.password} ftp://127.0.0.1:${ftp().server.port}`,
      `cd '/${LISTED_FOLDER}'`, 'cls -s --block-size=1 -1'].join('\n'));
    const { result, records } = await ftp().run(async () => (await runTool('lftp', ['-f', script])).stdout);

    records.expectNoFailure();
    records.expect('LIST', { reply: 226 });
    records.expectEqual(records.withVerb('MLSD'), [], 'lftp sent MLSD though FEAT does not offer MLST');
    const listed = result.split('\n').filter((line) => line.trim() !== '').map((line) => line.trim().split(/\s+/));
    records.expectEqual(listed, LISTED_NAMES.map((name, index) => [String(sizes[index]), name]), 'lftp\'s cls');
  });

  test('basic-ftp parses the listing: names, sizes and the folders', async () => {
    const { result, records } = await ftp().run(async () => {
      const client = await basicFtp(ftp(), false);
      try {
        return {
          files: await client.list(`/${LISTED_FOLDER}`),
          folders: await client.list('/Entrant/eStock'),
        };
      } finally {
        client.close();
      }
    });

    records.expectNoFailure();
    records.expectEqual(result.files.map(({ name, size, isFile }) => ({ name, size, isFile })),
      LISTED_NAMES.map((name, index) => ({ name, size: sizes[index], isFile: true })), 'the files');
    records.expectEqual(result.folders.filter((entry) => entry.isDirectory).map((entry) => entry.name),
      ['T1'], 'the folders of Entrant/eStock');
  });
});

describe('windows-1252 profile: names in that code page on the wire', () => {
  const ftp = useInteropServer('off', loadServerProfile('windows-1252'));
  const name = 'Récolte été.txt';

  test('ftplib sending Windows-1252 uploads a name with accents and lists it back', async () => {
    await requireTool('python3', '--version', 'python3');
    const file = join(ftp().localFolder, 'harvest.txt');
    writeFileSync(file, '1.00\r\n');
    const { result, records } = await ftp().run(() => ftplib(ftp(),
      'plain', [['put', file, `/${UPLOAD_FOLDER}/${name}`], ['nlst', `/${UPLOAD_FOLDER}`]], 'cp1252'));

    records.expectNoFailure();
    records.expect(`STOR /${UPLOAD_FOLDER}/${name}`, { reply: 226 });
    records.expectTrue(ftp().namesOnDisk(UPLOAD_FOLDER).includes(name), 'the name on disk, in UTF-8');
    records.expectTrue(result[1]!.names.includes(name), `listed: ${result[1]!.names.join(', ')}`);
  });
});

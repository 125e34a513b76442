/**
 * What the import tests add to the back-office bench: a bench that takes
 * zips at once (settleMs 0), an upload that stops half-way and goes on when
 * told, a proxy in front of the FTP server that refuses DELE, the inbox
 * and Version.txt as the device leaves them, the downloads the server served
 * and the BO's local import folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Company } from '../company.ts';
import { devicePaths, encodeSingleRowFile } from '../exchange/index.ts';
import type { UploadContent } from '../exchange/index.ts';
import type { Row } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import type { StartedFtpServer } from '../ftp/server.ts';
import { logIn, openDataConnection, RawControl } from '../ftp/test-fixture.ts';
import { movementRow, startTestBench, uploadToInbox, type TestBench } from './test-fixture.ts';

/** Two upload names, in time order. */
export const FIRST = 'LotStockExported_20261203_180000.zip';
export const SECOND = 'LotStockExported_20261203_181500.zip';

/** An exit, an entry on a new lot, a transfer, an inventory, then three bad lines (6, 7, 8). */
export const MIXED_UPLOAD: UploadContent = {
  movements: [
    movementRow('Tab001-0001', { TYPE_MVT: 'S', MOTIF_CODE: 'VTE', QUANTITE: 12 }),
    movementRow('Tab001-0002', { TYPE_MVT: 'E', MOTIF_CODE: 'ENT', ART_CODE: 'ART0010', LOT_CODE: 'LOT0010-1',
      DEP_CODE: 'CAVE', EMP_CODE: 'A02', QUANTITE: 60 }),
    movementRow('Tab001-0003', { TYPE_MVT: 'T', MOTIF_CODE: 'TRF', ART_CODE: 'ART0002', LOT_CODE: 'LOT0002-1',
      DEP_CODE: 'EXPE', EMP_CODE: 'A01', DEP_CODE_DEST: 'STOCK', EMP_CODE_DEST: 'A01', QUANTITE: 5.5 }),
    movementRow('Tab001-0004', { TYPE_MVT: 'I', MOTIF_CODE: 'INV', ART_CODE: 'ART0003', LOT_CODE: 'LOT0003-1',
      DEP_CODE: 'CHAI', EMP_CODE: 'A03', QUANTITE: 100 }),
    movementRow('Tab001-0005', { ART_CODE: 'ART9999' }),
    movementRow('Tab001-0006', { MOTIF_CODE: 'XXX' }),
    movementRow('Tab001-0007', { QUANTITE: -3 }),
  ],
  lots: [{ LOT_CODE: 'LOT0010-1', ART_CODE: 'ART0010', MILLESIME: 2022, DATE_CREATION: '2026-12-03',
    CREE_SUR_MOBILE: true }],
  lotInformation: [{ LOT_CODE: 'LOT0010-1', INFO_CODE: 'TAV_ANALYSE', VALEUR: '13,0 % vol.' }],
};

/** The Version.txt row of the tests' device: an app of the versions the 1.00 format goes with. */
export const DEVICE_VERSION: Row = {
  APP_VERSION: '2.1.0', ANDROID_VERSION: '14', DEVICE_MODEL: 'Samsung Galaxy Tab Active5',
};

/** A bench whose back office takes zips without watching their size (settleMs 0). */
export async function startImportBench(t: TestContext, company?: Company): Promise<TestBench> {
  const bench = await startTestBench(t, company);
  bench.bo.changeSettings({ settleMs: 0 });
  return bench;
}

/** Counts the server's complete downloads (RETR) of files named `name` from now on, in any folder. */
export function countDownloads(server: StartedFtpServer, name: string): () => number {
  let count = 0;
  server.on('download', ({ path }) => {
    if (path === name || path.endsWith(`/${name}`)) count += 1;
  });
  return () => count;
}

/** The files of a device's local import folder (`<BO folder>/import/<device>/MvtStocks`), with subfolders. */
export function localImportFiles(bench: TestBench, device = 'Tab001'): string[] {
  const folder = join(bench.boFolder, 'import', device, 'MvtStocks');
  return existsSync(folder) ? readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort() : [];
}

/** A device's inbox on the server's disk. */
export function inboxOnDisk(bench: TestBench, device = 'Tab001'): string {
  return join(bench.companyRoot, ...devicePaths(bench.mapping, device).movementUploads.split('/'));
}

/** The files of a device's inbox on the server's disk, by name. */
export function inboxFiles(bench: TestBench, device = 'Tab001'): string[] {
  const inbox = inboxOnDisk(bench, device);
  return existsSync(inbox) ? readdirSync(inbox).sort() : [];
}

/** Puts a device's Version.txt on the server over FTP, as the app does after a send. */
export async function uploadDeviceVersion(bench: TestBench, device: string, version: Row | Buffer): Promise<void> {
  const bytes = Buffer.isBuffer(version) ? version : encodeSingleRowFile(bench.mapping, 'deviceVersion', version);
  const path = devicePaths(bench.mapping, device).deviceVersion;
  await withFtpSession(bench.profile, `test device ${device}`, async (client) => {
    await client.ensureDir(`/${path.slice(0, path.lastIndexOf('/'))}`);
    await client.uploadFrom(Readable.from([bytes]), `/${path}`);
  });
}

/** Sends a movement zip as the app does: the zip into the device's inbox, then its Version.txt. */
export async function sendFromDevice(bench: TestBench, device: string, name: string, zip: Buffer,
  version: Row = DEVICE_VERSION): Promise<void> {
  await uploadToInbox(bench, device, name, zip);
  await uploadDeviceVersion(bench, device, version);
}

/** An upload under way over a raw FTP connection: part of the file is on the server. */
export interface SlowUpload {
  /** Sends `count` more bytes and waits until the server has them on disk. */
  send(count: number): Promise<void>;
  /** Sends the rest, closes the data connection and returns the server's final reply. */
  finish(): Promise<string>;
}

async function sizeReaches(file: string, bytes: number): Promise<void> {
  for (let waited = 0; !(existsSync(file) && statSync(file).size === bytes); waited += 10) {
    if (waited > 5000) throw new Error(`${file} did not reach ${bytes} bytes in 5 s`);
    await sleep(10);
  }
}

/**
 * Starts `STOR` of `bytes` as `name` into a device's inbox and sends the
 * first `first` bytes; the rest goes when the test says.
 */
export async function startSlowUpload(t: TestContext, bench: TestBench, device: string, name: string,
  bytes: Buffer, first: number): Promise<SlowUpload> {
  const control = await RawControl.open(bench.server.port);
  t.after(() => control.close());
  const { user: login, password } = bench.profile;
  await logIn(control, { company: bench.company.name, login, password });
  const inbox = devicePaths(bench.mapping, device).movementUploads;
  await control.command(`MKD ${inbox.slice(0, inbox.lastIndexOf('/'))}`);
  await control.command(`MKD ${inbox}`);
  const data = await openDataConnection(control);
  const started = await control.command(`STOR ${inbox}/${name}`);
  if (!started.startsWith('150 ')) throw new Error(`STOR ${name} did not start: ${started}`);

  const onDisk = join(inboxOnDisk(bench, device), name);
  let sent = 0;
  const send = async (count: number): Promise<void> => {
    data.write(bytes.subarray(sent, sent + count));
    sent = Math.min(bytes.length, sent + count);
    await sizeReaches(onDisk, sent);
  };
  await send(first);
  return {
    send,
    async finish() {
      data.end(bytes.subarray(sent));
      return control.reply();
    },
  };
}

/**
 * Starts a TCP proxy on 127.0.0.1 in front of the bench's FTP server that
 * passes everything but DELE, which it answers `550` itself: a server that
 * will not let the back office delete what it imported. Returns its port.
 */
export async function startDeleRefusingProxy(t: TestContext, bench: TestBench): Promise<number> {
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const server = connect(bench.server.port, bench.server.host);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => (socket === client ? server : client).destroy());
    }
    server.pipe(client);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end + 2);
        pending = pending.slice(end + 2);
        if (/^DELE /i.test(line)) client.write('550 DELE refused by the test proxy\r\n');
        else server.write(Buffer.from(line, 'latin1'));
      }
    });
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => proxy.close(done));
  });
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return address.port;
}

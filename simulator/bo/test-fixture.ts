/**
 * What the back-office tests share: a real FTP server on a free port of
 * 127.0.0.1 and a back office in a throwaway folder, both removed after the
 * test; a fixed clock; movement rows and uploads into a device's inbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TestContext } from 'node:test';
import { loadCompany, type Company } from '../company.ts';
import { devicePaths, loadMapping } from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';
import { withFtpSession, type FtpProfile } from '../ftp/client.ts';
import { startFtpServer, type StartedFtpServer } from '../ftp/server.ts';
import { openBackOffice } from './back-office.ts';
import type { BackOffice } from './types.ts';

/** The BO's clock in the tests: 3 December 2026, 19:45:00 local time. */
export const TEST_NOW = new Date(2026, 11, 3, 19, 45, 0);

/** A started server, a back office on it, and where they keep their files. */
export interface TestBench {
  server: StartedFtpServer;
  bo: BackOffice;
  company: Company;
  mapping: Mapping;
  profile: FtpProfile;
  /** The BO's folder. */
  boFolder: string;
  /** The company's root on the server's disk. */
  companyRoot: string;
}

/** The demo company, deep-copied so that a test may change it. */
export function demoCompany(): Company {
  return structuredClone(loadCompany('demo'));
}

/**
 * Starts a server and opens a back office for `company` (default: the demo
 * company); both are stopped and removed after the test.
 */
export async function startTestBench(t: TestContext, company: Company = demoCompany()):
  Promise<TestBench> {
  const folder = mkdtempSync(join(tmpdir(), 'hil-bo-'));
  const { login, password } = company.ftp;
  const server = await startFtpServer({
    port: 0,
    companies: [{ company: company.name, login, password }],
    rootsFolder: join(folder, 'roots'),
    transcriptsFolder: join(folder, 'transcripts'),
  });
  const mapping = loadMapping('eStock', '1.00');
  const profile = { host: server.host, port: server.port, user: login, password };
  const boFolder = join(folder, 'bo');
  const bo = openBackOffice({
    folder: boFolder, company, mapping, ftp: profile, clock: () => TEST_NOW,
  });
  t.after(async () => {
    bo.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  const companyRoot = server.companyRoot(company.name);
  return { server, bo, company, mapping, profile, boFolder, companyRoot };
}

/** Puts `bytes` into a device's inbox as `name`, over FTP as the device would. */
export async function uploadToInbox(bench: TestBench, deviceId: string, name: string,
  bytes: Buffer): Promise<void> {
  const inbox = devicePaths(bench.mapping, deviceId).movementUploads;
  await withFtpSession(bench.profile, `test device ${deviceId}`, async (client) => {
    await client.ensureDir(`/${inbox}`);
    await client.uploadFrom(Readable.from([bytes]), `/${inbox}/${name}`);
  });
}

/** A movement row of Tab001 with every column; `fields` overrides. */
export function movementRow(id: string, fields: Row): Row {
  return {
    MVT_ID: id, DEVICE_ID: 'Tab001', DATE_MVT: '2026-12-03T10:00:00', TYPE_MVT: 'S',
    ART_CODE: 'ART0001', LOT_CODE: 'LOT0001-1', DEP_CODE: 'STOCK', EMP_CODE: 'A04',
    DEP_CODE_DEST: null, EMP_CODE_DEST: null, QUANTITE: 1, MOTIF_CODE: 'VTE', LOGIN: 'Admin',
    COMMENTAIRE: null, ...fields,
  };
}

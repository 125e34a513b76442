/**
 * What the device tests share: a real FTP server in a temporary folder, a
 * small export written where the BO would put it, and devices opened on
 * throwaway stores with a clock the test moves.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExportZip, devicePaths, encodeSingleRowFile, loadMapping } from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';
import type { FtpProfile } from '../ftp/client.ts';
import { startFtpServer, type StartedFtpServer } from '../ftp/server.ts';
import { openVirtualDevice } from './virtual-device.ts';
import type { VirtualDevice } from './types.ts';

export const COMPANY = { company: 'Demo', login: 'Demo', password: 'demo-estock' };
export const DEVICE_ID = 'Tab001';

/** A clock the test sets; it does not move by itself. */
export interface TestClock {
  now: Date;
  read: () => Date;
}

export function testClock(start = new Date(2026, 11, 3, 19, 41, 31)): TestClock {
  const clock: TestClock = { now: start, read: () => new Date(clock.now.getTime()) };
  return clock;
}

/** A LOTSTOCK row. */
export function stockLine(lot: string, article: string, depot: string, location: string, vintage: number,
  quantity: number): Row {
  return {
    LOT_CODE: lot, ART_CODE: article, DEP_CODE: depot, EMP_CODE: location, MILLESIME: vintage, QUANTITE: quantity,
  };
}

/** The rows of a small export: 3 articles (ART0010 without lot), 3 depots, 2 locations each, 3 lots, 5 reasons. */
export function smallExport(): Map<string, Row[]> {
  const depots = ['CHAI', 'CAVE', 'STOCK'];
  return new Map<string, Row[]>([
    ['ARTICLE', [
      { ART_CODE: 'ART0001', LIBELLE: 'Château Test rouge 2020', GERE_LOT: true, ACTIF: true, CONTENANCE: 0.75 },
      { ART_CODE: 'ART0002', LIBELLE: 'Château Test blanc 2022', GERE_LOT: true, ACTIF: true, CONTENANCE: 0.75 },
      { ART_CODE: 'ART0010', LIBELLE: 'Vrac rosé', GERE_LOT: true, ACTIF: true },
    ]],
    ['DEPOT', depots.map((code) => ({ DEP_CODE: code, LIBELLE: `Dépôt ${code}`, GERE_EMPLACEMENT: true }))],
    ['EMPLACEMENT', depots.flatMap((depot) =>
      ['A01', 'A02'].map((location) => ({ DEP_CODE: depot, EMP_CODE: location, LIBELLE: `${depot} ${location}` })))],
    ['LOTSTOCK', [
      stockLine('LOT0001-1', 'ART0001', 'STOCK', 'A01', 2020, 100),
      stockLine('LOT0002-1', 'ART0002', 'CAVE', 'A02', 2022, 12.5),
      stockLine('LOT0002-2', 'ART0002', 'STOCK', 'A02', 2022, 6),
    ]],
    ['LOTSTOCKILINK', [{ LOT_CODE: 'LOT0001-1', INFO_CODE: 'FUT', VALEUR: 'Barrique 12' }]],
    ['MVSMOTIF', [
      { MOTIF_CODE: 'ENT', LIBELLE: 'Entrée en stock', SENS: 'E' },
      { MOTIF_CODE: 'VTE', LIBELLE: 'Vente', SENS: 'S' },
      { MOTIF_CODE: 'CAS', LIBELLE: 'Casse', SENS: 'S' },
      { MOTIF_CODE: 'TRF', LIBELLE: 'Transfert', SENS: 'T' },
      { MOTIF_CODE: 'INV', LIBELLE: 'Inventaire', SENS: 'I' },
    ]],
    ['SOFTUSER', [{ LOGIN: 'Admin', NOM: 'Administrateur' }]],
  ]);
}

/** A running FTP server over a temporary folder, with the mapping and a place for device folders. */
export interface DeviceTestBed {
  folder: string;
  mapping: Mapping;
  server: StartedFtpServer;
  profile(password?: string): FtpProfile;
  /** Writes the BO's three export files for a device straight into the server's tree. */
  placeExport(tables: ReadonlyMap<string, readonly Row[]>, exportDate?: string, deviceId?: string): Promise<void>;
  /** Absolute path on disk of a file of the company tree. */
  onDisk(relative: string): string;
  /** Opens (or reopens) a device in `<folder>/devices/<name>`. */
  openDevice(clock: TestClock, name?: string): VirtualDevice;
  /** Stops the server and starts a new one on the same tree (on a new port). */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

function startServer(folder: string): Promise<StartedFtpServer> {
  return startFtpServer({
    port: 0,
    companies: [COMPANY],
    rootsFolder: join(folder, 'roots'),
    transcriptsFolder: join(folder, 'transcripts'),
  });
}

export async function startDeviceTestBed(): Promise<DeviceTestBed> {
  const folder = mkdtempSync(join(tmpdir(), 'estock-device-'));
  const mapping = loadMapping('eStock', '1.00');
  const bed: DeviceTestBed = {
    folder,
    mapping,
    server: await startServer(folder),
    profile: (password = COMPANY.password) =>
      ({ host: bed.server.host, port: bed.server.port, user: COMPANY.login, password }),
    onDisk: (relative) => join(bed.server.companyRoot(COMPANY.company), relative),
    async placeExport(tables, exportDate = '2026-12-03T08:00:00', deviceId = DEVICE_ID) {
      const paths = devicePaths(mapping, deviceId);
      mkdirSync(join(bed.onDisk(paths.exportZip), '..'), { recursive: true });
      writeFileSync(bed.onDisk(paths.exportZip), await buildExportZip(mapping, tables));
      writeFileSync(bed.onDisk(paths.exportVersion),
        encodeSingleRowFile(mapping, 'exportVersion', { DATA_VERSION: '1.00', EXPORT_DATE: exportDate }));
      writeFileSync(bed.onDisk(paths.exportStatus),
        encodeSingleRowFile(mapping, 'exportStatus', { LAST_UPDATE: exportDate, DATA_VERSION: '1.00' }));
    },
    openDevice: (clock, name = DEVICE_ID) =>
      openVirtualDevice({ folder: join(folder, 'devices', name), mapping, clock: clock.read }),
    async restartServer() {
      await bed.server.stop();
      bed.server = await startServer(folder);
    },
    async close() {
      await bed.server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return bed;
}

/** Opens a device configured for the test bed's server, with the BO login Admin. */
export function configuredDevice(bed: DeviceTestBed, clock: TestClock): VirtualDevice {
  const device = bed.openDevice(clock);
  device.configure({ deviceId: DEVICE_ID, ftp: bed.profile(), login: 'Admin' });
  return device;
}

/** A configured device that has received the small export. */
export async function deviceWithData(bed: DeviceTestBed, clock: TestClock): Promise<VirtualDevice> {
  await bed.placeExport(smallExport());
  const device = configuredDevice(bed, clock);
  await device.receive();
  return device;
}

/**
 * Test fixtures: a virtual profile written into a folder with a `locators:`
 * field, a copy of the shipped map with one name misspelt, and the Appium
 * server and simulator the tests of a file share.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startAppiumServer } from '../../simulator/appium-driver/appium-server.ts';
import { loadCompany } from '../../simulator/company.ts';
import { loadMapping, type Mapping } from '../../simulator/exchange/index.ts';
import { startSimulator, type RunningSimulator } from '../../simulator/simulator.ts';
import { PROFILES_FOLDER } from '../profile.ts';
import { LOCATORS_FOLDER } from './locator-map.ts';
import type { AppiumServerAddress } from './session.ts';

/** Writes the shipped 2.1 map into `folder` as `name`, `sync.send` misspelt when `isWrong`; returns its path. */
export function writeMapCopy(folder: string, name: string, isWrong = false): string {
  const file = join(folder, name);
  const shipped = readFileSync(join(LOCATORS_FOLDER, '2.1.yaml'), 'utf8');
  writeFileSync(file, isWrong ? shipped.replace(/^(\s+)sync\.send:/m, '$1sync.sendd:') : shipped);
  return file;
}

/** Writes the virtual profile into `folder` as `name` with `locators: <map>` (relative); returns its path. */
export function writeProfileWithMap(folder: string, name: string, map: string): string {
  const file = join(folder, name);
  const written = readFileSync(join(PROFILES_FOLDER, 'virtual.yaml'), 'utf8')
    .replace('../../simulator', join(PROFILES_FOLDER, '..', '..', 'simulator'))
    .replace(/^appVersion: (.*)$/m, `appVersion: $1\nlocators: ${map}`);
  writeFileSync(file, written);
  return file;
}

/** What the Appium tests of one file share: an Appium server, and a simulator with Tab001's export ready. */
export interface AppiumBench {
  /** A temporary folder of the file's own, removed after its tests. */
  readonly folder: string;
  readonly mapping: Mapping;
  /** Set before the first test. */
  server: AppiumServerAddress & { stop(): Promise<void> };
  /** Set before the first test: the small catalog, exported for Tab001. */
  simulator: RunningSimulator;
}

/**
 * Starts an Appium server on 127.0.0.1 with the EstockVirtual driver and a
 * simulator of its own before the file's tests, and after them runs
 * `closeDevices` then stops both and removes the folder.
 */
export function useAppiumBench(prefix: string, closeDevices: () => Promise<void>): AppiumBench {
  const bench = {
    folder: mkdtempSync(join(tmpdir(), prefix)),
    mapping: loadMapping('eStock', '1.00'),
  } as AppiumBench;
  before(async () => {
    bench.server = await startAppiumServer();
    bench.simulator = await startSimulator({ folder: join(bench.folder, 'state'), company: loadCompany('demo'),
      mapping: bench.mapping, ftp: { port: 0 } });
    bench.simulator.backOffice.seedCatalog({ size: 'small', seed: 1 });
    await bench.simulator.backOffice.exportForDevices(['Tab001']);
  });
  after(async () => {
    await closeDevices();
    await bench.simulator?.stop();
    await bench.server?.stop();
    rmSync(bench.folder, { recursive: true, force: true });
  });
  return bench;
}

/**
 * What serve does at start for each company: « Export eStock » to every
 * active, unblocked device of its back office's eStock list, and the
 * settings line of each, with what the export made; the devices left out are
 * listed with the reason.
 */
import type { EstockDevice, ExportReport, RegisteredDevice } from '../simulator/bo/index.ts';
import type { ServedCompany } from '../simulator/companies-file.ts';
import type {
  RunningCompaniesSimulator, RunningCompany,
} from '../simulator/simulator.ts';
import type { CompanyLine, DeviceSettingsLine, Untimed } from './serve-lines.ts';

/** A company after its exports at start: its `ready` line, and its devices' settings. */
export interface CompanyExports {
  company: CompanyLine;
  devices: Untimed<DeviceSettingsLine>[];
}

/**
 * Exports to each active, unblocked device of a company, one after the
 * other, through the server as the real BO does. A disabled company's
 * login refuses its back office as it refuses the devices: nothing is
 * exported for it, and its devices' settings come without `export`.
 * `host` is the address the devices reach the server on.
 */
export async function exportAtStart(simulator: RunningCompaniesSimulator,
  running: RunningCompany, served: ServedCompany, host: string): Promise<CompanyExports> {
  const { company, backOffice, disabled } = running;
  const registry = backOffice.registry();
  const list = backOffice.estockDevices();
  const skipped = list.flatMap((device) => {
    const reason = skipReason(registry, device);
    return reason === undefined ? [] : [{ device: device.deviceId, reason }];
  });
  const exported = list
    .filter((device) => skipReason(registry, device) === undefined)
    .map((device) => device.deviceId);

  const devices: Untimed<DeviceSettingsLine>[] = [];
  for (const deviceId of exported) {
    const report = disabled ? undefined : await backOffice.exportForDevice(deviceId);
    const authKey = registry.find((entry) => entry.deviceId === deviceId)!.authKey;
    devices.push(settingsLine(simulator, running, host, { deviceId, authKey }, report));
  }
  return {
    company: {
      company: company.name, login: company.ftp.login, disabled, root: running.root,
      database: backOffice.databaseFile, catalog: running.catalog,
      catalogSeed: served.catalog, movementsImported: backOffice.movements().length,
      devices: exported, skipped,
    },
    devices,
  };
}

/** Why the BO does not export to an eStock device, or undefined when it does. */
function skipReason(registry: readonly RegisteredDevice[], device: EstockDevice): string | undefined {
  const registered = registry.find(({ deviceId }) => deviceId === device.deviceId);
  if (registered?.blocked === true) return 'blocked in the device registry';
  if (device.blocked) return 'blocked in the eStock device list';
  if (!device.active) return 'not active in the eStock device list';
  return undefined;
}

function settingsLine(simulator: RunningCompaniesSimulator, running: RunningCompany,
  host: string, { deviceId, authKey }: { deviceId: string; authKey: string },
  report: ExportReport | undefined): Untimed<DeviceSettingsLine> {
  const { company } = running;
  const { login: user, password } = company.ftp;
  return {
    event: 'device',
    company: company.name,
    device: deviceId,
    settings: {
      host, port: simulator.ftp.port, deviceId, user, password, tls: simulator.ftp.tls.mode,
    },
    authKey,
    loginDisabled: running.disabled,
    ...(report !== undefined && {
      export: {
        files: report.files.length, tables: report.tables, rows: report.rows,
        bytes: report.files.reduce((sum, file) => sum + file.bytes, 0),
        anomalies: report.anomalies,
      },
    }),
  };
}

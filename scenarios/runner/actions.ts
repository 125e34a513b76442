/**
 * What each scenario action does: the BO's export and import on the
 * simulator (its administration is in bo-actions.ts), the device's through
 * its driver. Each checks the step's expectations and returns
 * a one-line summary with the report it got.
 */
import type { Anomaly } from '../../simulator/bo/index.ts';
import type { RunningSimulator } from '../../simulator/simulator.ts';
import type { DeviceDriver } from '../../devices/device-driver.ts';
import { counted } from './counts.ts';
import { failIfUnmet, unmetAnomalies, unmetStock, unmetValues } from './expect.ts';
import {
  boEstockList, boFtpProfile, boLicence, boRegistry, boSeed, boSettings,
} from './bo-actions.ts';
import { FTP_ACTIONS_BY_NAME } from './ftp-actions.ts';
import type { OccupiedConnections } from './ftp-occupy.ts';
import { stepSyncSettings, type ActionName, type ScenarioSetup, type Step, type StepBody } from './schema.ts';

/** What the actions of one scenario share. */
export interface ScenarioContext {
  simulator: RunningSimulator;
  drivers: ReadonlyMap<string, DeviceDriver>;
  /** The control connections ftp.occupy holds open; closed at the end of the scenario. */
  occupied: OccupiedConnections;
  /** The scenario's setup, for the sync settings of its devices. */
  setup?: ScenarioSetup;
}

/** What an action did. */
export interface ActionOutcome {
  summary: string;
  detail?: unknown;
  movementsImported?: number;
}

type Action<A extends ActionName> = (
  context: ScenarioContext,
  body: StepBody<A>,
  device: string,
) => Promise<ActionOutcome>;

const boExport: Action<'bo.export'> = async ({ simulator }, body, device) => {
  const devices = body.devices ?? [device];
  const options = { ...(body.selection !== undefined && { selection: body.selection }),
    ...(body.scope !== undefined && { scope: body.scope }) };
  const reports = await simulator.backOffice.exportForDevices(devices, options);
  const { expect } = body;
  failIfUnmet(`bo.export ${devices.join(', ')}`, reports.flatMap((report) => {
    const unmet = [
      ...unmetValues(expect && { files: expect.files, tables: expect.tables, rows: expect.rows },
        { files: report.files.length, tables: report.tables, rows: report.rows }),
      ...unmetAnomalies(expect?.anomalies, report.anomalies.map(describeAnomaly)),
    ];
    return devices.length === 1 ? unmet : unmet.map((text) => `${report.device}: ${text}`);
  }));
  const summaries = reports.map((report) => {
    const bytes = report.files.reduce((sum, file) => sum + file.bytes, 0);
    const anomalies = report.anomalies.length > 0 ? `, ${counted(report.anomalies.length, 'anomaly')}` : '';
    const exported = `exported ${counted(report.tables, 'table')}, ${counted(report.rows, 'row')}, ` +
      `${counted(bytes, 'byte')}${anomalies}`;
    return devices.length === 1 ? exported : `${report.device}: ${exported}`;
  });
  return { summary: summaries.join('; '), detail: devices.length === 1 ? reports[0] : reports };
};

const boImport: Action<'bo.import'> = async ({ simulator }, body, device) => {
  const { backOffice } = simulator;
  const stockBefore = backOffice.stock();
  const reports = body.all === true ? await backOffice.importAll() : [await backOffice.importForDevice(device)];
  const movementsImported = reports.reduce((sum, report) => sum + report.movementsImported, 0);
  const zips = reports.reduce((sum, report) => sum + report.zips.length, 0);
  const anomalies = reports.flatMap((report) => report.anomalies.map(describeAnomaly));
  failIfUnmet(`bo.import ${body.all === true ? 'all' : device}`, [
    ...unmetValues(body.expect && { movementsImported: body.expect.movementsImported, zips: body.expect.zips },
      { movementsImported, zips }),
    ...unmetAnomalies(body.expect?.anomalies, anomalies),
    ...unmetStock(body.expect?.stock, stockBefore, backOffice.stock()),
  ]);
  const from = body.all === true ? ` of ${counted(reports.length, 'device')}` : '';
  return {
    summary: `imported ${counted(movementsImported, 'movement')} from ${counted(zips, 'zip')}${from}, ` +
      `${counted(anomalies.length, 'anomaly')}`,
    detail: body.all === true ? reports : reports[0],
    movementsImported,
  };
};

const deviceConfigure: Action<'device.configure'> = async ({ simulator, drivers, setup }, body, device) => {
  const listed = simulator.backOffice.estockDevices().find((entry) => entry.deviceId === device);
  const ftp = { ...simulator.ftpProfile, ...body.ftp };
  // Unless told, the device speaks TLS when the scenario's server does.
  const sync = { ...(ftp.tls === true && { tls: 'required' as const }), ...stepSyncSettings(setup, device, body) };
  const settings = {
    deviceId: device,
    ftp,
    login: body.login ?? listed?.login,
    ...(Object.keys(sync).length > 0 && { sync }),
  };
  await driverOf(drivers, device).configure(settings);
  const { user, host, port } = settings.ftp;
  const given = Object.entries(sync).map(([key, value]) => `${key} ${value}`).join(', ');
  return { summary: `${device} set to FTP ${user}@${host}:${port}, login ${settings.login ?? '(none)'}` +
    (given === '' ? '' : `; sync: ${given}`) };
};

const deviceTestFtp: Action<'device.testFtp'> = async ({ drivers }, body, device) => {
  const result = await driverOf(drivers, device).testFtp();
  failIfUnmet(`device.testFtp ${device}`, unmetValues(body.expect ?? { ok: true }, result),
    JSON.stringify(result.message));
  return { summary: result.message, detail: result };
};

const deviceReceive: Action<'device.receive'> = async ({ drivers }, body, device) => {
  const report = await driverOf(drivers, device).receive();
  failIfUnmet(`device.receive ${device}`, unmetValues(body.expect, report));
  const summary = `received ${counted(report.tables, 'table')}, ${counted(report.rows, 'row')}, ` +
    `${counted(report.bytes, 'byte')}`;
  return { summary, detail: report };
};

const deviceMove: Action<'device.move'> = async ({ drivers }, body, device) => {
  const { device: _device, expectError: _expectError, ...input } = body;
  const movement = await driverOf(drivers, device).move(input);
  const place = input.type === 'transfer'
    ? `${input.depot}/${input.location ?? ''} -> ${input.toDepot ?? ''}/${input.toLocation ?? ''}`
    : `${input.depot}/${input.location ?? ''}`;
  const lot = movement.lotIsNew ? `new lot ${input.lot}` : `lot ${input.lot}`;
  return { summary: `${movement.id}: ${input.type} ${input.quantity} of ${lot} at ${place} (${input.reason})`,
    detail: movement };
};

const deviceSend: Action<'device.send'> = async ({ drivers }, body, device) => {
  const report = await driverOf(drivers, device).send();
  failIfUnmet(`device.send ${device}`, unmetValues(body.expect, report));
  const summary = report.file === undefined
    ? 'nothing to send'
    : `sent ${report.file}: ${counted(report.movements, 'movement')}, ${counted(report.lots, 'lot')}, ` +
      `${counted(report.bytes, 'byte')}`;
  return { summary, detail: report };
};

/** Every action by its name in scenario files. */
const ACTIONS: { [A in ActionName]: Action<A> } = {
  'bo.export': boExport,
  'bo.settings': boSettings,
  'bo.ftpProfile': boFtpProfile,
  'bo.licence': boLicence,
  'bo.registry': boRegistry,
  'bo.estockList': boEstockList,
  'bo.seed': boSeed,
  'bo.import': boImport,
  'device.configure': deviceConfigure,
  'device.testFtp': deviceTestFtp,
  'device.receive': deviceReceive,
  'device.move': deviceMove,
  'device.send': deviceSend,
  ...FTP_ACTIONS_BY_NAME,
};

/** Runs the action of a step on the step's device. */
export function runAction(context: ScenarioContext, step: Step): Promise<ActionOutcome> {
  // The loader paired each action with its own arguments; TypeScript cannot follow that through the union.
  type AnyAction = (c: ScenarioContext, body: Step['body'], device: string) => Promise<ActionOutcome>;
  const action = ACTIONS[step.action] as AnyAction;
  // The loader gave a device to each step whose action needs one (stepDeviceRule); the others ignore it.
  return action(context, step.body, step.body.device ?? '');
}

function driverOf(drivers: ReadonlyMap<string, DeviceDriver>, device: string): DeviceDriver {
  const driver = drivers.get(device);
  if (!driver) throw new Error(`no driver for device ${device}: the runner opens one per device of the setup`);
  return driver;
}

function describeAnomaly(anomaly: Anomaly): string {
  if (anomaly.file === undefined) return anomaly.reason;
  const line = anomaly.line === undefined ? '' : `:${anomaly.line}`;
  return `${anomaly.file}${line}: ${anomaly.reason}`;
}

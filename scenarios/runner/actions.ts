/**
 * What each scenario action does: the BO's actions on the simulator, the
 * device's through its driver. Each checks the step's expectations and returns
 * a one-line summary with the report it got.
 */
import type { Anomaly } from '../../simulator/bo/index.ts';
import type { RunningSimulator } from '../../simulator/simulator.ts';
import type { DeviceDriver } from '../../devices/device-driver.ts';
import { counted } from './counts.ts';
import { failIfUnmet, unmetAnomalies, unmetStock, unmetValues } from './expect.ts';
import type { ActionName, Step, StepBody } from './schema.ts';

/** What the actions of one scenario share. */
export interface ScenarioContext {
  simulator: RunningSimulator;
  drivers: ReadonlyMap<string, DeviceDriver>;
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
  const report = await simulator.backOffice.exportForDevice(device);
  failIfUnmet(`bo.export ${device}`, [
    ...unmetValues(body.expect && { files: body.expect.files, tables: body.expect.tables },
      { files: report.files.length, tables: report.tables }),
    ...unmetAnomalies(body.expect?.anomalies, report.anomalies.map(describeAnomaly)),
  ]);
  const bytes = report.files.reduce((sum, file) => sum + file.bytes, 0);
  const anomalies = report.anomalies.length > 0 ? `, ${counted(report.anomalies.length, 'anomaly')}` : '';
  const summary = `exported ${counted(report.tables, 'table')}, ${counted(report.rows, 'row')}, ` +
    `${counted(bytes, 'byte')}${anomalies}`;
  return { summary, detail: report };
};

const boImport: Action<'bo.import'> = async ({ simulator }, body, device) => {
  const stockBefore = simulator.backOffice.stock();
  const report = await simulator.backOffice.importForDevice(device);
  failIfUnmet(`bo.import ${device}`, [
    ...unmetValues(body.expect && { movementsImported: body.expect.movementsImported, zips: body.expect.zips },
      { movementsImported: report.movementsImported, zips: report.zips.length }),
    ...unmetAnomalies(body.expect?.anomalies, report.anomalies.map(describeAnomaly)),
    ...unmetStock(body.expect?.stock, stockBefore, simulator.backOffice.stock()),
  ]);
  return {
    summary: `imported ${counted(report.movementsImported, 'movement')} from ${counted(report.zips.length, 'zip')}, ` +
      `${counted(report.anomalies.length, 'anomaly')}`,
    detail: report,
    movementsImported: report.movementsImported,
  };
};

const deviceConfigure: Action<'device.configure'> = async ({ simulator, drivers }, body, device) => {
  const listed = simulator.company.estock.find((entry) => entry.deviceId === device);
  const settings = {
    deviceId: device,
    ftp: { ...simulator.ftpProfile, ...body.ftp },
    login: body.login ?? listed?.login,
  };
  await driverOf(drivers, device).configure(settings);
  const { user, host, port } = settings.ftp;
  return { summary: `${device} set to FTP ${user}@${host}:${port}, login ${settings.login ?? '(none)'}` };
};

const deviceTestFtp: Action<'device.testFtp'> = async ({ drivers }, body, device) => {
  const result = await driverOf(drivers, device).testFtp();
  failIfUnmet(`device.testFtp ${device}`, unmetValues(body.expect ?? { ok: true }, result));
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
  'bo.import': boImport,
  'device.configure': deviceConfigure,
  'device.testFtp': deviceTestFtp,
  'device.receive': deviceReceive,
  'device.move': deviceMove,
  'device.send': deviceSend,
};

/** Runs the action of a step on the step's device. */
export function runAction(context: ScenarioContext, step: Step): Promise<ActionOutcome> {
  // The loader paired each action with its own arguments; TypeScript cannot follow that through the union.
  type AnyAction = (c: ScenarioContext, body: Step['body'], device: string) => Promise<ActionOutcome>;
  const action = ACTIONS[step.action] as AnyAction;
  return action(context, step.body, step.body.device!);
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

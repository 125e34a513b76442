/**
 * The scenario actions of the back office's administration (guide, section
 * 2): settings, FTP profiles, licence, device registry, eStock device list,
 * and the catalog. Each does what the BO's window does, so a refusal of the
 * BO fails the step (or passes it, with expectError), and checks the step's
 * expectations.
 */
import { counterKeyFor, SIMULATOR_PROFILE, type EstockSettings } from '../../simulator/bo/index.ts';
import { counted } from './counts.ts';
import { failIfUnmet, unmetValues } from './expect.ts';
import type { ActionOutcome, ScenarioContext } from './actions.ts';
import type { StepBody } from './schema.ts';

/** An action of the BO's administration: it acts on the BO alone, and on `device` for the registry and list. */
type BoAction<A extends 'bo.settings' | 'bo.ftpProfile' | 'bo.licence' | 'bo.registry' | 'bo.estockList' |
  'bo.seed'> = (context: ScenarioContext, body: StepBody<A>, device: string) => Promise<ActionOutcome>;

/** Changes settings, then checks them. */
export const boSettings: BoAction<'bo.settings'> = async ({ simulator }, body) => {
  const { backOffice } = simulator;
  const settings = body.set === undefined ? backOffice.settings()
    : backOffice.changeSettings(body.set as Partial<EstockSettings>);
  failIfUnmet('bo.settings', unmetValues(body.expect, settings));
  const changed = Object.entries(body.set ?? {}).map(([key, value]) => `${key} ${value}`).join(', ');
  return { summary: changed === '' ? 'settings unchanged' : `settings changed: ${changed}`, detail: settings };
};

/** Creates, changes or deletes an FTP profile; a new one starts as a copy of the simulator's own. */
export const boFtpProfile: BoAction<'bo.ftpProfile'> = async ({ simulator }, body) => {
  const { backOffice } = simulator;
  if (body.delete === true) {
    backOffice.deleteFtpProfile(body.name);
    return { summary: `FTP profile ${body.name} deleted` };
  }
  const profiles = backOffice.ftpProfiles();
  const base = profiles.find((profile) => profile.name === body.name) ??
    profiles.find((profile) => profile.name === SIMULATOR_PROFILE)!;
  const { device: _device, expectError: _expectError, delete: _delete, ...fields } = body;
  const saved = backOffice.saveFtpProfile({ ...base, ...fields });
  return { summary: `FTP profile ${saved.name}: ${saved.user}@${saved.host}:${saved.port}, TLS ${saved.tls}`,
    detail: { ...saved, password: '***' } };
};

/** « Générer la clé » when count or until is given, then the counter-key when given; checks the standing. */
export const boLicence: BoAction<'bo.licence'> = async ({ simulator }, body) => {
  const { backOffice } = simulator;
  if (body.count !== undefined || body.until !== undefined) {
    const current = backOffice.licence();
    backOffice.setLicences(body.count ?? current.count, body.until ?? current.until);
  }
  if (body.counterKey !== undefined) {
    const key = backOffice.licence().key;
    backOffice.enterCounterKey(body.counterKey === 'valid' ? counterKeyFor(key) : body.counterKey);
  }
  const standing = backOffice.licence();
  const refusal = standing.refusal ?? '';
  failIfUnmet('bo.licence', [
    ...unmetValues(body.expect && { valid: body.expect.valid }, standing),
    ...(body.expect?.refusal !== undefined && !refusal.includes(body.expect.refusal)
      ? [`expected a refusal containing "${body.expect.refusal}", got ${refusal === '' ? 'none' : `"${refusal}"`}`]
      : []),
  ]);
  const summary = `licence: ${counted(standing.count, 'licence')} until ${standing.until}, key ${standing.key}, ` +
    (standing.valid ? 'valid' : `refused: ${refusal}`);
  return { summary, detail: standing };
};

/** Registers, changes or deletes a device of the registry. */
export const boRegistry: BoAction<'bo.registry'> = async ({ simulator }, body, device) => {
  const { backOffice } = simulator;
  if (body.delete === true) {
    backOffice.unregisterDevice(device);
    return { summary: `${device} removed from the registry` };
  }
  const change = {
    ...(body.authKey !== undefined && { authKey: body.authKey }),
    ...(body.blocked !== undefined && { blocked: body.blocked }),
  };
  const entry = body.create === true ? backOffice.registerDevice({ deviceId: device, ...change })
    : backOffice.changeRegisteredDevice(device, change);
  const what = body.create === true ? 'registered' : 'changed in the registry';
  return { summary: `${device} ${what}: key ${entry.authKey}, ${entry.blocked ? 'blocked' : 'not blocked'}`,
    detail: entry };
};

/** Adds, changes or removes a device of the eStock device list. */
export const boEstockList: BoAction<'bo.estockList'> = async ({ simulator }, body, device) => {
  const { backOffice } = simulator;
  if (body.remove === true) {
    backOffice.unlistDevice(device);
    return { summary: `${device} removed from the eStock list` };
  }
  const change = {
    ...(body.active !== undefined && { active: body.active }),
    ...(body.blocked !== undefined && { blocked: body.blocked }),
    ...(body.criteria !== undefined && { criteria: body.criteria }),
  };
  const entry = body.add === true
    ? backOffice.listDevice({ deviceId: device, login: body.login!, ...change })
    : backOffice.changeListedDevice(device, { ...change, ...(body.login !== undefined && { login: body.login }) });
  const what = body.add === true ? 'added to the eStock list' : 'changed in the eStock list';
  return { summary: `${device} ${what}: login ${entry.login}, ${entry.active ? 'active' : 'not active'}, ` +
    `${entry.blocked ? 'blocked' : 'not blocked'}`, detail: entry };
};

/** Replaces the catalog with a generated one. */
export const boSeed: BoAction<'bo.seed'> = async ({ simulator }, body) => {
  const catalog = simulator.backOffice.seedCatalog({ size: body.size, seed: body.seed });
  failIfUnmet('bo.seed', unmetValues(body.expect, catalog));
  return { summary: `catalog seeded (${body.size}, seed ${body.seed}): ${counted(catalog.articles, 'article')}, ` +
    `${counted(catalog.lots, 'lot')}, ${counted(catalog.rows, 'row')}`, detail: catalog };
};

/** The back office as it will be once its own `importAll` lands (branch `import`). */

/**
 * The administration commands of `estock-hil bo` (guide, section 2): the
 * back office's standing (`status`), its eStock settings, FTP profiles,
 * licence, device registry and eStock device list.
 */
import { Option, type Command } from 'commander';
import { counterKeyFor, TLS_MODES, type BackOffice, type FtpProfileSetting } from '../simulator/bo/index.ts';
import { ConfigError } from '../simulator/errors.ts';
import { settingsChange, wholeNumber } from './bo-options.ts';
import { readServeAddress, SERVE_ADDRESS_NAME, type ServeAddress } from './serve-address.ts';
import { checkAnswers, type OpenedBackOffice } from './bo-open.ts';
import {
  runBo, shownDay, table, withCommonFlags, yes, type CommonFlags, type Outcome,
} from './bo-run.ts';

const NO_FTP = { ftp: false };

/** Adds status, settings, profile, licence, device and estock to `bo`. */
export function registerAdminCommands(bo: Command): void {
  withCommonFlags(bo.command('status'))
    .description('the settings, the licence\'s standing and the devices, with whether each is exported to ' +
      '(exit 1 while the licence refuses exports and imports)')
    .action((flags: CommonFlags) => runBo('status', flags, NO_FTP, status));

  registerSettings(bo);
  registerProfiles(bo);
  registerLicence(bo);
  registerDevices(bo);
  registerEstockList(bo);
}

async function status(opened: OpenedBackOffice): Promise<Outcome> {
  const { backOffice, target } = opened;
  const settings = backOffice.settings();
  const licence = backOffice.licence();
  const devices = deviceStandings(backOffice, licence);
  const serve = await serveStanding(target.state);
  const movements = backOffice.movements().length;
  const text = [
    `${target.company.company.name}: back office ${backOffice.databaseFile}`,
    `  serve: ${serve.line}`,
    `  FTP profile of the settings: ${settings.ftpProfile}`,
    `  licence: ${licenceLine(licence)}`,
    `  stock: ${backOffice.stock().length} lines, ${movements} movements imported`,
    table(['Device', 'Key', 'Listed', 'Login', 'Exchanges'],
      devices.map((device) => [device.deviceId, device.authKey ?? '', yes(device.listed), device.login ?? '',
        device.exchanges ? 'yes' : device.why ?? ''])),
  ];
  const json = { settings, licence, devices, stockLines: backOffice.stock().length, movementsImported: movements,
    serve: serve.running ?? null, ...(serve.stale !== undefined && { staleServe: serve.stale }) };
  // The licence refuses every export and import: the back office exchanges with no device.
  return { json, text, refused: !licence.valid };
}

/**
 * Whether serve runs on the state folder: its address file names a process
 * that is alive and a port that answers. A file left by a serve killed with
 * -9 is `stale`, with why.
 */
async function serveStanding(state: string):
  Promise<{ line: string; running?: ServeAddress; stale?: ServeAddress & { why: string } }> {
  const address = readServeAddress(state);
  if (address === undefined) return { line: 'not running on this state folder' };
  let why: string | undefined;
  if (!processIsAlive(address.pid)) {
    why = `its process ${address.pid} is gone`;
  } else {
    why = await checkAnswers(state, address).then(() => undefined, (error: Error) =>
      `nothing answers on ${address.control ?? `${address.host}:${address.port}`}: ${error.message}`);
  }
  if (why === undefined) {
    return { line: `running (pid ${address.pid}) on ${address.host}:${address.port}`, running: address };
  }
  return { line: `not running (stale ${SERVE_ADDRESS_NAME}, left by a serve that stopped: ${why})`,
    stale: { ...address, why } };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Each device of the registry or the list, and whether the BO exports to it
 * and imports from it: a device it may exchange with by the registry and the
 * list gets nothing either while the licence refuses.
 */
function deviceStandings(backOffice: BackOffice, licence: ReturnType<BackOffice['licence']>) {
  const listed = new Map(backOffice.estockDevices().map((device) => [device.deviceId, device]));
  return backOffice.registry().map((registered) => {
    const entry = listed.get(registered.deviceId);
    const why = registered.blocked ? 'blocked in the registry' : entry === undefined ? 'not in the eStock list'
      : entry.blocked ? 'blocked in the eStock list' : !entry.active ? 'not active'
        : !licence.valid ? 'refused by the licence' : undefined;
    return {
      deviceId: registered.deviceId, authKey: registered.authKey, blockedInRegistry: registered.blocked,
      listed: entry !== undefined, login: entry?.login ?? null, active: entry?.active ?? false,
      blockedInList: entry?.blocked ?? false, criteria: entry?.criteria ?? '', exchanges: why === undefined,
      ...(why !== undefined && { why }),
    };
  });
}

function licenceLine(licence: ReturnType<BackOffice['licence']>): string {
  const until = licence.until === '' ? 'none set'
    : `${licence.count} licence${licence.count === 1 ? '' : 's'} until ${shownDay(licence.until)}`;
  return `${until}, key ${licence.key || '(none)'}, ` +
    (licence.valid ? 'valid' : `REFUSED: ${licence.refusal ?? ''}`);
}

function registerSettings(bo: Command): void {
  const settings = bo.command('settings').description('the eStock settings (guide 2d, box 2)');
  withCommonFlags(settings.command('show', { isDefault: true }))
    .description('show the settings')
    .action((flags: CommonFlags) => runBo('settings show', flags, NO_FTP, ({ backOffice }) => {
      const current = backOffice.settings();
      return { json: { settings: current }, text: settingsLines(current) };
    }));
  withCommonFlags(settings.command('set'))
    .description('change settings, e.g. negativeStock=refuse settleMs=0; nothing changes if one is wrong')
    .argument('<key=value...>', 'the settings to change')
    .action((assignments: string[], flags: CommonFlags) => runBo('settings set', flags, NO_FTP,
      ({ backOffice }) => {
        const change = settingsChange(assignments);
        const changed = backOffice.changeSettings(change);
        return { json: { settings: changed, changed: Object.keys(change) }, text: settingsLines(changed) };
      }));
}

function settingsLines(settings: object): string[] {
  return Object.entries(settings).map(([key, value]) => `${key.padEnd(14)} ${String(value)}`);
}

interface ProfileFlags extends CommonFlags {
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  tls?: FtpProfileSetting['tls'];
}

function registerProfiles(bo: Command): void {
  const profile = bo.command('profile').description('the FTP profiles (guide 2a)');
  withCommonFlags(profile.command('list', { isDefault: true }))
    .description('list the FTP profiles, passwords masked (with --json too)')
    .action((flags: CommonFlags) => runBo('profile list', flags, NO_FTP, ({ backOffice }) => {
      const profiles = backOffice.ftpProfiles().map((each) => ({ ...each, password: '***' }));
      const used = backOffice.settings().ftpProfile;
      return {
        json: { profiles, settingsProfile: used },
        text: [table(['Profile', 'Host', 'Port', 'User', 'TLS', 'Settings'], profiles.map((each) =>
          [each.name, each.host, each.port, each.user, each.tls, yes(each.name === used)]), [2])],
      };
    }));
  withCommonFlags(profile.command('set'))
    .description('create a profile, or change the fields given of an existing one')
    .argument('<name>', 'the profile\'s name')
    .option('--host <address>').option('--port <n>').option('--user <login>').option('--password <password>')
    .addOption(new Option('--tls <mode>', 'explicit FTP over TLS').choices(TLS_MODES))
    .action((name: string, flags: ProfileFlags) => runBo('profile set', flags, NO_FTP, ({ backOffice }) => {
      const existing = backOffice.ftpProfiles().find((each) => each.name === name);
      const given = {
        ...(flags.host !== undefined && { host: flags.host }),
        ...(flags.port !== undefined && { port: wholeNumber('--port', flags.port, 1) }),
        ...(flags.user !== undefined && { user: flags.user }),
        ...(flags.password !== undefined && { password: flags.password }),
        ...(flags.tls !== undefined && { tls: flags.tls }),
      };
      if (existing === undefined) {
        const missing = ['host', 'port', 'user', 'password'].filter((key) => !(key in given));
        if (missing.length > 0) {
          throw new ConfigError(`${name} is a new profile: it needs ${missing.map((key) => `--${key}`)
            .join(', ')}`);
        }
      }
      const saved = backOffice.saveFtpProfile({ ...existing, ...given, name } as FtpProfileSetting);
      const masked = { ...saved, password: '***' };
      return { json: { profile: masked, created: existing === undefined },
        text: [`FTP profile ${name} ${existing === undefined ? 'created' : 'changed'}: ` +
          `${saved.user}@${saved.host}:${saved.port}, TLS ${saved.tls}`] };
    }));
  withCommonFlags(profile.command('delete'))
    .description('delete a profile (not the one the settings use)')
    .argument('<name>')
    .action((name: string, flags: CommonFlags) => runBo('profile delete', flags, NO_FTP, ({ backOffice }) => {
      backOffice.deleteFtpProfile(name);
      return { json: { deleted: name }, text: [`FTP profile ${name} deleted`] };
    }));
}

function registerLicence(bo: Command): void {
  const licence = bo.command('licence').description('the eStock licence (guide 2b)');
  const standing = ({ backOffice }: OpenedBackOffice): Outcome => {
    const current = backOffice.licence();
    return { json: { licence: current }, text: [`licence: ${licenceLine(current)}`], refused: !current.valid };
  };
  withCommonFlags(licence.command('show', { isDefault: true }))
    .description('the licence and whether export and import may run today (exit 1 when they may not)')
    .action((flags: CommonFlags) => runBo('licence show', flags, NO_FTP, standing));
  withCommonFlags(licence.command('set'))
    .description('« Générer la clé »: set the licences and the end date; the counter-key is then to enter')
    .requiredOption('--count <n>', 'the number of licences: devices active at once')
    .requiredOption('--until <YYYY-MM-DD>', 'the last day of validity')
    .action((flags: CommonFlags & { count: string; until: string }) => runBo('licence set', flags, NO_FTP,
      (opened) => {
        const set = opened.backOffice.setLicences(wholeNumber('--count', flags.count), flags.until);
        const shown = standing(opened);
        // The key was generated: what the command was asked. The licence awaits its counter-key.
        return { ...shown, refused: false, text: [`new key ${set.key}: give it to the technical service ` +
          '(bo licence service) and enter its counter-key (bo licence counter-key <counter-key>)', ...shown.text] };
      }));
  withCommonFlags(licence.command('counter-key'))
    .description('enter the counter-key the technical service gave for the current key')
    .argument('<counter-key>')
    .action((counterKey: string, flags: CommonFlags) => runBo('licence counter-key', flags, NO_FTP, (opened) => {
      opened.backOffice.enterCounterKey(counterKey);
      return standing(opened);
    }));
  withCommonFlags(licence.command('service'))
    .description('play the publisher\'s technical service: print the counter-key of a key (default the BO\'s)')
    .argument('[key]', 'a licence key, ESTK-…')
    .action((key: string | undefined, flags: CommonFlags) => runBo('licence service', flags, NO_FTP,
      ({ backOffice }) => {
        const asked = key ?? backOffice.licence().key;
        if (asked === '') throw new ConfigError('the back office has no key yet; give one');
        const counterKey = counterKeyFor(asked);
        return { json: { key: asked, counterKey }, text: [counterKey] };
      }));
}

interface DeviceFlags extends CommonFlags {
  key?: string;
  blocked?: boolean;
}

function registerDevices(bo: Command): void {
  const device = bo.command('device').description('the device registry, « Accès aux appareils mobiles »');
  const list = ({ backOffice }: OpenedBackOffice): Outcome => {
    const registry = backOffice.registry();
    return { json: { registry }, text: [table(['Device', 'Authentication key', 'Blocked'],
      registry.map((each) => [each.deviceId, each.authKey, yes(each.blocked)]))] };
  };
  withCommonFlags(device.command('list', { isDefault: true }))
    .description('list the registry').action((flags: CommonFlags) => runBo('device list', flags, NO_FTP, list));
  withCommonFlags(device.command('create'))
    .description('« Créer »: register a device, with a random key unless --key gives one')
    .argument('<device>').option('--key <hex>', '16 hexadecimal digits').option('--blocked', 'blocked at once')
    .action((id: string, flags: DeviceFlags) => runBo('device create', flags, NO_FTP, ({ backOffice }) => {
      const created = backOffice.registerDevice({ deviceId: id, ...(flags.key !== undefined && { authKey: flags.key }),
        blocked: flags.blocked === true });
      return { json: { device: created }, text: [`${id} registered, key ${created.authKey}` +
        (created.blocked ? ', blocked' : '')] };
    }));
  withCommonFlags(device.command('change'))
    .description('« Gérer »: change a device\'s key, block or unblock it')
    .argument('<device>').option('--key <hex>', '16 hexadecimal digits')
    .option('--blocked', 'block it').option('--no-blocked', 'unblock it')
    .action((id: string, flags: DeviceFlags) => runBo('device change', flags, NO_FTP, ({ backOffice }) => {
      if (flags.key === undefined && flags.blocked === undefined) {
        throw new ConfigError('give --key, --blocked or --no-blocked');
      }
      const changed = backOffice.changeRegisteredDevice(id, {
        ...(flags.key !== undefined && { authKey: flags.key }),
        ...(flags.blocked !== undefined && { blocked: flags.blocked }),
      });
      return { json: { device: changed }, text: [`${id}: key ${changed.authKey}, ` +
        `${changed.blocked ? 'blocked' : 'not blocked'}`] };
    }));
  withCommonFlags(device.command('delete'))
    .description('« Supprimer »: remove a device from the registry (once it is out of the eStock list)')
    .argument('<device>')
    .action((id: string, flags: CommonFlags) => runBo('device delete', flags, NO_FTP, ({ backOffice }) => {
      backOffice.unregisterDevice(id);
      return { json: { deleted: id }, text: [`${id} removed from the registry`] };
    }));
}

interface ListedFlags extends CommonFlags {
  login?: string;
  active?: boolean;
  blocked?: boolean;
  criteria?: string;
}

function listedChange(flags: ListedFlags) {
  return {
    ...(flags.login !== undefined && { login: flags.login }),
    ...(flags.active !== undefined && { active: flags.active }),
    ...(flags.blocked !== undefined && { blocked: flags.blocked }),
    ...(flags.criteria !== undefined && { criteria: flags.criteria }),
  };
}

function withListedFlags(command: Command): Command {
  return command.option('--login <login>', 'the device\'s default BO login, one of the users')
    .option('--active', 'active').option('--no-active', 'not active')
    .option('--blocked', 'blocked').option('--no-blocked', 'not blocked')
    .option('--criteria <text>', '« Critères Articles et Lots »; empty for every article and lot');
}

function registerEstockList(bo: Command): void {
  const estock = bo.command('estock').description('the eStock device list (guide 2d, box 1)');
  withCommonFlags(estock.command('list', { isDefault: true }))
    .description('list the eStock devices')
    .action((flags: CommonFlags) => runBo('estock list', flags, NO_FTP, ({ backOffice }) => {
      const devices = backOffice.estockDevices();
      return { json: { devices }, text: [table(['Active', 'Blocked', 'Device', 'Login', 'Criteria'],
        devices.map((each) => [yes(each.active), yes(each.blocked), each.deviceId, each.login, each.criteria]))] };
    }));
  withCommonFlags(withListedFlags(estock.command('add')))
    .description('« Ajouter »: add a registered device to the list (--login needed)')
    .argument('<device>')
    .action((id: string, flags: ListedFlags) => runBo('estock add', flags, NO_FTP, ({ backOffice }) => {
      if (flags.login === undefined) throw new ConfigError('--login is needed, one of the BO users');
      const added = backOffice.listDevice({ deviceId: id, ...listedChange(flags), login: flags.login });
      return { json: { device: added }, text: [listedLine(added, 'added to the eStock list')] };
    }));
  withCommonFlags(withListedFlags(estock.command('change')))
    .description('change a listed device: login, active, blocked, criteria')
    .argument('<device>')
    .action((id: string, flags: ListedFlags) => runBo('estock change', flags, NO_FTP, ({ backOffice }) => {
      const change = listedChange(flags);
      if (Object.keys(change).length === 0) {
        throw new ConfigError('give --login, --active/--no-active, --blocked/--no-blocked or --criteria');
      }
      const changed = backOffice.changeListedDevice(id, change);
      return { json: { device: changed }, text: [listedLine(changed, 'changed')] };
    }));
  withCommonFlags(estock.command('remove'))
    .description('remove a device from the list; it stays in the registry')
    .argument('<device>')
    .action((id: string, flags: CommonFlags) => runBo('estock remove', flags, NO_FTP, ({ backOffice }) => {
      backOffice.unlistDevice(id);
      return { json: { removed: id }, text: [`${id} removed from the eStock list`] };
    }));
}

function listedLine(device: ReturnType<BackOffice['estockDevices']>[number], what: string): string {
  const criteria = device.criteria === '' ? '' : `, criteria ${device.criteria}`;
  return `${device.deviceId} ${what}: login ${device.login}, ${device.active ? 'active' : 'not active'}, ` +
    `${device.blocked ? 'blocked' : 'not blocked'}${criteria}`;
}

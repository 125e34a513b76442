/**
 * `estock-hil faults`: changes the faults and the server profile of a
 * running `estock-hil serve`, through its control socket, and shows them.
 *
 *     estock-hil faults set --fault '{cut: {direction: upload, atPercent: 40}}' --fault 'bandwidth: 4g'
 *     estock-hil faults add --file stalls.yaml
 *     estock-hil faults show
 *     estock-hil faults profile vsftpd
 *
 * docs/serve.md is the user's guide.
 */
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ConfigError, HilError } from '../simulator/errors.ts';
import { faultSpecText } from '../simulator/ftp/faults/fault-spec-text.ts';
import { loadServerProfile } from '../simulator/ftp/profiles/load-profile.ts';
import type { ServerProfile } from '../simulator/ftp/profiles/profile-schema.ts';
import { addFaultOptions, readFaultOptions, type RawFaultOptions } from './fault-options.ts';
import { DEFAULT_STATE_FOLDER } from './serve.ts';
import { readServeAddress, SERVE_ADDRESS_NAME } from './serve-address.ts';
import type { ControlReply, ControlRequest, ControlState } from './serve-control.ts';

/** How long to wait for serve's answer, in milliseconds. */
export const CONTROL_REPLY_TIMEOUT_MS = 5_000;

interface CommonOptions {
  state: string;
  json?: boolean;
}

type ChangeOptions = CommonOptions & RawFaultOptions & { file?: string };

/** Adds the `faults` command and its subcommands to the program. */
export function registerFaults(program: Command): void {
  const faults = program.command('faults')
    .description('change or show the faults and the FTP server profile of a running estock-hil serve');
  const common = (command: Command): Command => command
    .option('--state <folder>', 'the state folder of the serve', DEFAULT_STATE_FOLDER)
    .option('--json', 'print the state after the change as JSON');

  const set = common(faults.command('set')
    .description('replace the faults in force (their fired counts start again from 0)'));
  addFaultOptions(set, { fileFlag: '--file', profile: false })
    .action((options: ChangeOptions) => change(options, 'set'));
  const add = common(faults.command('add').description('add faults after those in force, keeping the seed'));
  addFaultOptions(add, { fileFlag: '--file', profile: false })
    .action((options: ChangeOptions) => change(options, 'add'));
  common(faults.command('clear').description('remove every fault'))
    .action((options: CommonOptions) => request(options, { op: 'clear' }, 'faults cleared'));
  common(faults.command('show').description('print the seed, each fault in force with its fired count, the profile'))
    .action((options: CommonOptions) => request(options, { op: 'show' }));
  common(faults.command('profile')
    .description('set the server profile: a shipped one by name, a profile file, or none for our own behaviour')
    .argument('<name|file|none>'))
    .action((nameOrPath: string, options: CommonOptions) => {
      const profile = nameOrPath === 'none' ? null : readProfile(nameOrPath);
      return request(options, { op: 'profile', profile }, `server profile ${profile?.name ?? 'none'}`);
    });
}

async function change(options: ChangeOptions, op: 'set' | 'add'): Promise<void> {
  if (options.fault?.length === 0 && options.file === undefined) {
    throw new ConfigError('give the faults: --fault <yaml> (repeatable) and/or --file <fault file>; ' +
      'to remove every fault: estock-hil faults clear');
  }
  if (op === 'add' && options.seed !== undefined) {
    throw new ConfigError('--seed goes with faults set: faults add keeps the seed in force');
  }
  const { faults, seed } = readFaultOptions({ ...options, faults: options.file }, '--file');
  const message: ControlRequest = op === 'add' ? { op, faults } : { op, faults, ...(seed !== undefined && { seed }) };
  await request(options, message, op === 'set' ? 'faults set' : 'faults added');
}

function readProfile(nameOrPath: string): ServerProfile {
  try {
    return loadServerProfile(nameOrPath);
  } catch (error) {
    throw new ConfigError(`faults profile ${nameOrPath}: ${(error as Error).message}`, { cause: error });
  }
}

async function request(options: CommonOptions, message: ControlRequest, heading?: string): Promise<void> {
  const state = await askServe(resolve(options.state), message);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(state)}\n`);
    return;
  }
  const lines = describeControlState(state);
  process.stdout.write(`${[...(heading === undefined ? [] : [`${heading}:`]), ...lines].join('\n')}\n`);
}

/** The state as `faults show` prints it: the seed, a line per fault with its fired count, the profile. */
export function describeControlState(state: ControlState): string[] {
  const times = (n: number) => `${n} ${n === 1 ? 'time' : 'times'}`;
  const width = String(state.faults.length).length;
  const faults = state.faults.length === 0 ? ['  no faults in force'] : state.faults.map(({ fault, spec, fired }) =>
    `  ${String(fault).padStart(width)}. ${faultSpecText(spec)}  (fired ${times(fired)})`);
  const profile = state.profile === null ? 'none: our own server\'s behaviour'
    : `${state.profile.name}: ${state.profile.description}`;
  return [`seed ${state.seed}`, ...faults, `profile ${profile}`];
}

/**
 * Sends one request to the serve of a state folder and returns the state it
 * answers. Throws HilError `SERVE_NOT_RUNNING` when no serve runs there
 * (no serve.json, or one left by a serve that is gone), and `SERVE_REFUSED`
 * with serve's words when it refuses the request.
 */
export async function askServe(stateFolder: string, message: ControlRequest): Promise<ControlState> {
  const address = readServeAddress(stateFolder);
  if (address === undefined) {
    throw new HilError('SERVE_NOT_RUNNING', `no estock-hil serve runs on the state folder ${stateFolder}: ` +
      `there is no ${SERVE_ADDRESS_NAME} in it; start one with estock-hil serve --state ${stateFolder}, ` +
      'or give the --state of the one running');
  }
  if (address.control === undefined) {
    throw new HilError('SERVE_NOT_RUNNING', `the serve of ${stateFolder} (pid ${address.pid}) has no control ` +
      'channel: it is of an older estock-hil; restart it');
  }
  const reply = await exchange(address.control, message).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT' && error.code !== 'ECONNREFUSED') throw error;
    throw new HilError('SERVE_NOT_RUNNING', `the serve named in ${stateFolder}/${SERVE_ADDRESS_NAME} ` +
      `(pid ${address.pid}, started ${address.startedAt}) does not answer on ${address.control} (${error.code}): ` +
      'it is no longer running; start estock-hil serve again', { cause: error });
  });
  if (!reply.ok) throw new HilError('SERVE_REFUSED', `serve refused the request: ${reply.error}`);
  return reply.state;
}

function exchange(socket: string, message: ControlRequest): Promise<ControlReply> {
  return new Promise((answered, failed) => {
    const connection = createConnection(socket);
    const timer = setTimeout(() => {
      connection.destroy();
      failed(new HilError('SERVE_TIMEOUT', `serve did not answer on ${socket} within ${CONTROL_REPLY_TIMEOUT_MS} ms`));
    }, CONTROL_REPLY_TIMEOUT_MS);
    connection.on('error', (error) => (clearTimeout(timer), failed(error)));
    connection.on('connect', () => connection.write(`${JSON.stringify(message)}\n`));
    // readline passes on the connection's errors, already heard above.
    createInterface({ input: connection }).on('error', () => {}).once('line', (line) => {
      clearTimeout(timer);
      connection.end();
      try {
        answered(JSON.parse(line) as ControlReply);
      } catch (error) {
        failed(new HilError('SERVE_REFUSED', `serve answered what is not JSON: ${line}`, { cause: error }));
      }
    });
  });
}

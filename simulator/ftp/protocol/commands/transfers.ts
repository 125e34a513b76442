/**
 * The commands that use a data connection, and those that prepare one: PASV,
 * EPSV, REST, RETR, STOR, APPE, LIST, NLST, MLSD, ABOR. Every transfer gets
 * its 150 reply at once and then waits for the client's connection (and TLS
 * handshake); an upload is flushed to disk before its 226.
 */
import {
  closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, readdirSync, rmSync, statSync,
} from 'node:fs';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { basename, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataShaper } from '../../faults/data-shaper.ts';
import { encodeNames, nameEncodingOf } from '../../profiles/name-encoding.ts';
import { tlsReuseRefusal } from '../../profiles/profile-behaviour.ts';
import { DataChannelError, PassiveChannel, plainAddress, type DataProtection } from '../data-channel.ts';
import { FileSink, FileSource } from '../file-streams.ts';
import { dosListLine, machineListLine, unixListLine, type ListedEntry } from '../listing.ts';
import type { CommandContext } from '../session.ts';
import { fileErrorReply } from './file-errors.ts';
import { reachPath } from './files.ts';

/**
 * PASV: the passive address and port. A server profile may give an address
 * of its own instead (a NAT in front of a customer server, misconfigured).
 */
export async function pasv(command: CommandContext): Promise<void> {
  const passiveHost = command.session.profile?.passiveAddress ?? command.session.settings.passiveHost;
  if (passiveHost.includes(':')) return command.reply(425, 'PASV needs an IPv4 passive address: use EPSV');
  const channel = await openChannel(command);
  if (channel === undefined) return;
  const port = channel.port;
  command.reply(227, `Entering Passive Mode (${passiveHost.replaceAll('.', ',')},${port >> 8},${port & 255})`);
}

export async function epsv(command: CommandContext): Promise<void> {
  if (command.arg.trim().toUpperCase() === 'ALL') return command.reply(200, 'EPSV ALL ok');
  const channel = await openChannel(command);
  if (channel !== undefined) command.reply(229, `Entering Extended Passive Mode (|||${channel.port}|)`);
}

async function openChannel(command: CommandContext): Promise<PassiveChannel | undefined> {
  const { session } = command;
  try {
    const channel = await PassiveChannel.open({
      host: session.settings.host,
      range: session.settings.passivePorts,
      clientAddress: session.clientAddress,
    });
    session.setPassive(channel);
    return channel;
  } catch (error) {
    session.setPassive(undefined);
    command.reply((error as DataChannelError).reply ?? 425, (error as Error).message);
    return undefined;
  }
}

/** PORT and EPRT: active mode is not offered; tablets behind NAT use passive mode. */
export function active(command: CommandContext): void {
  command.reply(502, 'Active mode is not supported: use PASV or EPSV');
}

export function rest(command: CommandContext): void {
  const text = command.arg.trim();
  if (!/^\d{1,15}$/.test(text)) return command.reply(501, `REST ${command.arg}: not a byte offset`);
  command.session.restartOffset = Number(text);
  command.reply(350, `Restarting at ${text}: send STOR or RETR`);
}

export async function abor(command: CommandContext): Promise<void> {
  const { session } = command;
  if (await session.abortTransfer('the client sent ABOR')) return command.reply(226, 'ABOR successful');
  session.setPassive(undefined);
  command.reply(225, 'No transfer to abort');
}

/**
 * Takes the passive channel for a transfer, or replies and returns undefined:
 * 425 without PASV/EPSV, 521 when TLS is required on data and PROT P is not in force.
 */
function takeChannel(command: CommandContext): { channel: PassiveChannel; protection?: DataProtection } | undefined {
  const { session } = command;
  const channel = session.passive;
  if (channel === undefined) {
    command.reply(425, 'Use PASV or EPSV first');
    return undefined;
  }
  session.passive = undefined;
  if (session.settings.tlsMode === 'required' && !session.protectsData) {
    channel.close();
    command.reply(521, 'This server requires TLS on data connections: send PBSZ 0 and PROT P');
    return undefined;
  }
  // PROT P is taken only under AUTH TLS, which gives the session its TLS.
  const { tls } = session;
  return { channel, ...(session.protectsData && tls !== undefined && { protection: tls }) };
}

/**
 * Waits for the data connection; on failure replies its code and returns
 * undefined. So does a data connection that the server profile refuses.
 */
async function connect(command: CommandContext, channel: PassiveChannel,
  protection: DataProtection | undefined): Promise<Socket | undefined> {
  let socket: Socket;
  try {
    socket = await channel.connection(protection);
  } catch (error) {
    channel.close();
    command.reply((error as DataChannelError).reply ?? 425, (error as Error).message);
    return undefined;
  }
  const refusal = profileRefusal(command, socket, protection !== undefined);
  if (refusal === undefined) return socket;
  channel.close();
  command.note({ profile: refusal.why });
  command.reply(refusal.code, refusal.text);
  return undefined;
}

/** Why the server profile in force refuses a data connection, if it does. */
function profileRefusal(command: CommandContext, socket: Socket, isSecure: boolean)
  : { code: number; text: string; why: string } | undefined {
  const { profile } = command.session;
  if (profile === undefined) return undefined;
  // On a server bound to every address, a client on this machine reaches the "unreachable" PASV
  // address all the same; it must not get through where a tablet would not.
  if (profile.passiveAddress !== undefined && plainAddress(socket.localAddress) === profile.passiveAddress) {
    return { code: 425, text: 'Cannot open data connection',
      why: `${profile.name}: the data connection came to ${profile.passiveAddress}, the unreachable PASV address` };
  }
  return isSecure ? tlsReuseRefusal(profile, socket as TLSSocket) : undefined;
}

/** Carries the bytes from `from` to `to`, through the shaper of the transfer's faults when there is one. */
async function carry(from: Readable, to: Writable, shaper: DataShaper | undefined, signal: AbortSignal):
  Promise<void> {
  if (shaper === undefined) await pipeline(from, to, { signal });
  else await pipeline(from, shaper, to, { signal });
}

function abortReason(signal: AbortSignal, error: unknown): string {
  if (signal.aborted) return (signal.reason as Error).message;
  return `the data connection failed: ${(error as Error).message}`;
}

export async function retr(command: CommandContext): Promise<void> {
  const offset = command.session.takeRestartOffset();
  const path = reachPath(command);
  if (path === undefined) return;
  let fd: number;
  let size: number;
  try {
    fd = openSync(path.disk, 'r');
    const stats = fstatSync(fd);
    size = stats.size;
    if (stats.isDirectory()) {
      closeSync(fd);
      return command.reply(550, `${path.virtual}: Is a folder`);
    }
  } catch (error) {
    const { code, text } = fileErrorReply(error, path.virtual);
    return command.reply(code, text);
  }
  const taken = takeChannel(command);
  if (taken === undefined) return closeSync(fd);

  const name = basename(path.virtual);
  command.reply(150, `Opening BINARY mode data connection for ${name} (${Math.max(0, size - offset)} bytes)`);
  command.runTransfer(async (signal) => {
    const transfer = { direction: 'download' as const, path: path.virtual.slice(1) };
    const socket = await connect(command, taken.channel, taken.protection);
    if (socket === undefined) return closeSync(fd);
    const source = new FileSource(fd, offset, size);
    const faults = command.faults.transfer({ ...transfer, carries: 'file', size: Math.max(0, size - offset) });
    const shaper = faults.shaper(socket, (kind) => taken.channel.cut(kind));
    const sent = (): number => shaper?.bytesThrough ?? source.bytesRead;
    try {
      await carry(source, socket, shaper, signal);
      command.note({ bytes: sent(), transfer });
      const { code, text } = faults.finalReply(sent(), 'Transfer complete');
      command.reply(code, text);
    } catch (error) {
      const cutShort = faults.cutReason ?? abortReason(signal, error);
      command.note({ bytes: sent(), transfer: { ...transfer, cutShort } });
      command.reply(426, `Connection closed; transfer aborted: ${cutShort}`);
    } finally {
      taken.channel.close();
    }
  });
}

export async function stor(command: CommandContext): Promise<void> {
  const offset = command.session.takeRestartOffset();
  await receive(command, offset > 0 ? 'resume' : 'replace', offset);
}

export async function appe(command: CommandContext): Promise<void> {
  command.session.takeRestartOffset();
  await receive(command, 'append', 0);
}

/**
 * An upload: `replace` (STOR), `resume` (REST n then STOR: the file is cut
 * at n and the data written from there) or `append` (APPE).
 */
async function receive(command: CommandContext, how: 'replace' | 'resume' | 'append', offset: number): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  let fd: number;
  let created = false;
  try {
    created = how !== 'resume' && lstatSync(path.disk, { throwIfNoEntry: false }) === undefined;
    // STOR empties the file only once its data connection is there: a transfer that never
    // starts leaves the file as it was, and removes a file it made.
    fd = openSync(path.disk, { replace: constants.O_WRONLY | constants.O_CREAT, resume: 'r+', append: 'a' }[how]);
    if (how === 'resume') {
      const { size } = fstatSync(fd);
      if (offset > size) {
        closeSync(fd);
        return command.reply(554, `REST ${offset} is past the end of ${path.virtual} (${size} bytes)`);
      }
      ftruncateSync(fd, offset);
    }
  } catch (error) {
    const { code, text } = fileErrorReply(error, path.virtual);
    return command.reply(code, text);
  }
  const abandon = (): void => {
    closeSync(fd);
    if (created) rmSync(path.disk, { force: true });
  };
  const taken = takeChannel(command);
  if (taken === undefined) return abandon();

  command.reply(150, `Ok to send data for ${basename(path.virtual)}`);
  command.runTransfer(async (signal) => {
    const transfer = { direction: 'upload' as const, path: path.virtual.slice(1) };
    const socket = await connect(command, taken.channel, taken.protection);
    if (socket === undefined) return abandon();
    if (how === 'replace') ftruncateSync(fd, 0);
    // The sink syncs the file to disk before it finishes: a client (and the BO after it) never
    // hears 226 before the whole file is on disk.
    const sink = new FileSink(fd, how === 'append' ? null : offset);
    const faults = command.faults.transfer({ ...transfer, carries: 'file' });
    const shaper = faults.shaper(sink, (kind) => taken.channel.cut(kind));
    try {
      await carry(socket, sink, shaper, signal);
      const reset = await taken.channel.endUpload(socket);
      if (reset !== undefined) throw new Error(reset);
      command.note({ bytes: sink.written, transfer });
      // A reply fault after the data leaves the file complete: the upload is told as complete too.
      const { code, text } = faults.finalReply(sink.written, 'Transfer complete');
      command.reply(code, text);
    } catch (error) {
      const cutShort = faults.cutReason ?? abortReason(signal, error);
      command.note({ bytes: sink.written, transfer: { ...transfer, cutShort } });
      const { code, text } = (error as NodeJS.ErrnoException).code === 'ENOSPC'
        ? fileErrorReply(error, path.virtual)
        : { code: 426, text: `Connection closed; transfer aborted: ${cutShort}` };
      command.reply(code, text);
    } finally {
      taken.channel.close();
    }
  });
}

/** LIST: `ls -l` lines, or MS-DOS lines under a server profile with `listing: dos`. */
export async function list(command: CommandContext): Promise<void> {
  const now = new Date();
  const format = command.session.profile?.listing === 'dos'
    ? dosListLine
    : (entry: ListedEntry): string => unixListLine(entry, now);
  await sendListing(command, withoutListOptions(command.arg), format);
}

export async function nlst(command: CommandContext): Promise<void> {
  await sendListing(command, withoutListOptions(command.arg), (entry) => entry.name);
}

export async function mlsd(command: CommandContext): Promise<void> {
  await sendListing(command, command.arg, machineListLine, { foldersOnly: true });
}

// Clients send `LIST -a` or `LIST -la /path`, as to ls; the options are not file names.
function withoutListOptions(arg: string): string {
  return arg.replace(/^(\s*-[A-Za-z]+\s*)+/, '');
}

async function sendListing(command: CommandContext, clientPath: string,
  format: (entry: ListedEntry) => string, { foldersOnly = false } = {}): Promise<void> {
  command.session.takeRestartOffset();
  const path = reachPath(command, clientPath);
  if (path === undefined) return;
  let lines: string[];
  try {
    lines = entriesAt(path.disk, foldersOnly).map(format);
  } catch (error) {
    const { code, text } = fileErrorReply(error, path.virtual);
    return command.reply(code, text);
  }
  const taken = takeChannel(command);
  if (taken === undefined) return;

  command.reply(150, 'Here comes the listing');
  command.runTransfer(async (signal) => {
    const socket = await connect(command, taken.channel, taken.protection);
    if (socket === undefined) return;
    const body = encodeNames(lines.map((line) => `${line}\r\n`).join(''), nameEncodingOf(command.session.profile));
    const faults = command.faults.transfer({
      direction: 'download', path: path.virtual.slice(1), carries: 'listing', size: body.length,
    });
    const shaper = faults.shaper(socket, (kind) => taken.channel.cut(kind));
    try {
      await carry(Readable.from([body]), socket, shaper, signal);
      command.note({ bytes: body.length });
      const { code, text } = faults.finalReply(body.length, 'Listing sent');
      command.reply(code, text);
    } catch (error) {
      if (shaper !== undefined) command.note({ bytes: shaper.bytesThrough });
      command.reply(426, `Connection closed; listing aborted: ${faults.cutReason ?? abortReason(signal, error)}`);
    } finally {
      taken.channel.close();
    }
  });
}

/** The entries of a folder, by name; a file lists itself unless `foldersOnly` (MLSD), where it is ENOTDIR. */
function entriesAt(disk: string, foldersOnly: boolean): ListedEntry[] {
  const stats = statSync(disk);
  if (!stats.isDirectory()) {
    if (foldersOnly) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    return [{ name: basename(disk), stats }];
  }
  const entries: ListedEntry[] = [];
  for (const name of readdirSync(disk).sort()) {
    // An entry removed between readdir and lstat is simply not listed.
    const entry = lstatSync(join(disk, name), { throwIfNoEntry: false });
    if (entry !== undefined) entries.push({ name, stats: entry });
  }
  return entries;
}

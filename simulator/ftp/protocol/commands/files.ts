/**
 * The commands on folders and files that use no data connection: PWD, CWD,
 * CDUP, MKD, RMD, DELE, RNFR, RNTO, SIZE, MDTM, MLST.
 */
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ResolvedPath } from '../company-folder.ts';
import { ftpTime, machineListLine } from '../listing.ts';
import { quotePath } from '../replies.ts';
import type { CommandContext } from '../session.ts';
import { fileErrorReply } from './file-errors.ts';

/**
 * Resolves the command's path in the company folder, or replies with the
 * refusal and returns undefined. An empty path is the current folder.
 */
export function reachPath(command: CommandContext, clientPath = command.arg): ResolvedPath | undefined {
  const { session } = command;
  try {
    return session.folder!.reach(session.cwd, clientPath === '' ? '.' : clientPath);
  } catch (error) {
    const { code, text } = fileErrorReply(error, clientPath);
    command.reply(code, text);
    return undefined;
  }
}

/** Runs a file operation; a failure becomes its reply. Returns whether it succeeded. */
async function attempt(command: CommandContext, path: ResolvedPath, work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    const { code, text } = fileErrorReply(error, path.virtual);
    command.reply(code, text);
    return false;
  }
}

export function pwd(command: CommandContext): void {
  command.reply(257, `${quotePath(command.session.cwd)} is the current folder`);
}

export async function cwd(command: CommandContext): Promise<void> {
  if (command.arg === '') return command.reply(501, 'CWD needs a folder');
  await changeFolder(command, command.arg);
}

export async function cdup(command: CommandContext): Promise<void> {
  await changeFolder(command, '..');
}

async function changeFolder(command: CommandContext, clientPath: string): Promise<void> {
  const path = reachPath(command, clientPath);
  if (path === undefined) return;
  let isFolder = false;
  if (!await attempt(command, path, async () => (isFolder = (await stat(path.disk)).isDirectory()))) return;
  if (!isFolder) return command.reply(550, `${path.virtual}: Not a folder`);
  command.session.cwd = path.virtual;
  command.reply(250, `Folder changed to ${path.virtual}`);
}

export async function mkd(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  if (await attempt(command, path, () => mkdir(path.disk))) command.reply(257, `${quotePath(path.virtual)} created`);
}

export async function rmd(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  if (path.virtual === '/') return command.reply(550, '/: the company root cannot be removed');
  if (await attempt(command, path, () => rmdir(path.disk))) command.reply(250, `${path.virtual} removed`);
}

export async function dele(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  const removeFile = async (): Promise<void> => {
    if ((await stat(path.disk)).isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    await rm(path.disk);
  };
  if (await attempt(command, path, removeFile)) command.reply(250, `${path.virtual} deleted`);
}

export async function rnfr(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  if (!await attempt(command, path, () => stat(path.disk))) return;
  command.session.renameFrom = path;
  command.reply(350, `${path.virtual} exists, ready for RNTO`);
}

export async function rnto(command: CommandContext): Promise<void> {
  const from = command.session.renameFrom;
  command.session.renameFrom = undefined;
  if (from === undefined) return command.reply(503, 'Send RNFR first');
  const to = reachPath(command);
  if (to === undefined) return;
  if (await attempt(command, to, () => rename(from.disk, to.disk))) {
    command.note({ rename: { from: from.virtual.slice(1), to: to.virtual.slice(1) } });
    command.reply(250, `Renamed ${from.virtual} to ${to.virtual}`);
  }
}

export async function size(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  let bytes: number | undefined;
  const measure = async (): Promise<void> => {
    const stats = await stat(path.disk);
    if (!stats.isDirectory()) bytes = stats.size;
  };
  if (!await attempt(command, path, measure)) return;
  if (bytes === undefined) return command.reply(550, `${path.virtual}: Is a folder`);
  command.reply(213, String(bytes));
}

export async function mdtm(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  let time: Date | undefined;
  if (await attempt(command, path, async () => (time = (await stat(path.disk)).mtime))) {
    command.reply(213, ftpTime(time!));
  }
}

/** MLST: the facts of one file or folder, on the control connection (RFC 3659, section 7). */
export async function mlst(command: CommandContext): Promise<void> {
  const path = reachPath(command);
  if (path === undefined) return;
  let line = '';
  const describe = async (): Promise<void> => {
    const stats = await stat(path.disk);
    line = machineListLine({ name: path.virtual, stats });
  };
  if (!await attempt(command, path, describe)) return;
  command.reply(250, [`Listing ${basename(path.virtual) || '/'}`, line, 'End']);
}

/**
 * The command table: each verb, its handler, and whether it needs a login.
 * A verb that is not here is answered 502.
 */
import type { CommandContext } from '../session.ts';
import * as access from './access.ts';
import * as files from './files.ts';
import * as transfers from './transfers.ts';

type Handler = (command: CommandContext) => void | Promise<void>;

interface CommandEntry {
  run: Handler;
  /** False for the commands allowed before login. */
  needsLogin: boolean;
}

const beforeLogin = (run: Handler): CommandEntry => ({ run, needsLogin: false });
const afterLogin = (run: Handler): CommandEntry => ({ run, needsLogin: true });

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  USER: beforeLogin(access.user),
  PASS: beforeLogin(access.pass),
  AUTH: beforeLogin(access.auth),
  PBSZ: beforeLogin(access.pbsz),
  PROT: beforeLogin(access.prot),
  FEAT: beforeLogin(access.feat),
  CLNT: beforeLogin(access.clnt),
  OPTS: beforeLogin(access.opts),
  SYST: beforeLogin(access.syst),
  NOOP: beforeLogin(access.noop),
  HELP: beforeLogin(access.help),
  QUIT: beforeLogin(access.quit),
  STAT: afterLogin(access.stat),
  TYPE: afterLogin(access.type),
  MODE: afterLogin(access.mode),
  STRU: afterLogin(access.stru),
  ALLO: afterLogin(access.allo),
  PWD: afterLogin(files.pwd),
  XPWD: afterLogin(files.pwd),
  CWD: afterLogin(files.cwd),
  XCWD: afterLogin(files.cwd),
  CDUP: afterLogin(files.cdup),
  XCUP: afterLogin(files.cdup),
  MKD: afterLogin(files.mkd),
  XMKD: afterLogin(files.mkd),
  RMD: afterLogin(files.rmd),
  XRMD: afterLogin(files.rmd),
  DELE: afterLogin(files.dele),
  RNFR: afterLogin(files.rnfr),
  RNTO: afterLogin(files.rnto),
  SIZE: afterLogin(files.size),
  MDTM: afterLogin(files.mdtm),
  MLST: afterLogin(files.mlst),
  PASV: afterLogin(transfers.pasv),
  EPSV: afterLogin(transfers.epsv),
  PORT: afterLogin(transfers.active),
  EPRT: afterLogin(transfers.active),
  REST: afterLogin(transfers.rest),
  RETR: afterLogin(transfers.retr),
  STOR: afterLogin(transfers.stor),
  APPE: afterLogin(transfers.appe),
  LIST: afterLogin(transfers.list),
  NLST: afterLogin(transfers.nlst),
  MLSD: afterLogin(transfers.mlsd),
  ABOR: afterLogin(transfers.abor),
};

/** The commands answered while a transfer is in progress; any other waits for the transfer to end. */
export const TRANSFER_TIME_COMMANDS: ReadonlySet<string> = new Set(['NOOP', 'STAT', 'ABOR']);

/** The handler of a verb: its own, 530 before login, or 502 for a verb this server does not know. */
export function commandFor(verb: string): Handler {
  const entry = COMMANDS[verb];
  if (entry === undefined) return (command) => command.reply(502, `${verb}: command not implemented`);
  if (!entry.needsLogin) return entry.run;
  return (command) => {
    if (command.session.folder === undefined) return command.reply(530, 'Please log in with USER and PASS');
    return entry.run(command);
  };
}

/**
 * The commands of login, TLS and the session itself: USER, PASS, AUTH, PBSZ,
 * PROT, FEAT, CLNT, OPTS, SYST, NOOP, STAT, HELP, TYPE, MODE, STRU, ALLO, QUIT.
 */
import { offersEpsv, offersMachineListing, offersUtf8, systemName } from '../../profiles/profile-behaviour.ts';
import { CompanyFolder } from '../company-folder.ts';
import { MLST_FACTS } from '../listing.ts';
import type { CommandContext } from '../session.ts';

/** USER: remembers the name; refused at once when TLS is required and not in force. */
export function user(command: CommandContext): void {
  const { session, arg } = command;
  if (session.folder !== undefined) return command.reply(503, 'Already logged in');
  if (session.settings.tlsMode === 'required' && !session.isSecure) {
    session.sessionHandlers.refused(arg, 'tls-required');
    return command.reply(530, 'This server requires TLS: send AUTH TLS before logging in');
  }
  session.user = arg;
  command.reply(331, `Password required for ${arg}`);
}

/** PASS: asks the handlers, then confines the session to the company root. */
export function pass(command: CommandContext): void {
  const { session } = command;
  if (session.folder !== undefined) return command.reply(503, 'Already logged in');
  if (session.user === undefined) return command.reply(503, 'Send USER first');
  const login = session.user;
  session.user = undefined;
  const decision = session.sessionHandlers.login(login, command.arg, session.isSecure,
    session.clientName);
  if ('refused' in decision) {
    const text = decision.refused === 'tls-required'
      ? 'This server requires TLS: send AUTH TLS before logging in'
      : 'Login incorrect';
    return command.reply(530, text);
  }
  session.folder = new CompanyFolder(decision.root);
  session.login = login;
  session.cwd = '/';
  command.reply(230, 'Logged in');
}

/**
 * AUTH TLS (or its old name AUTH SSL): 234, then the control connection goes
 * under TLS, with the session's own TLS context: its data connections can
 * resume only its own TLS session (the TLS session reuse of server profiles).
 */
export function auth(command: CommandContext): void {
  const { session } = command;
  const { sessionTls } = session.settings;
  if (sessionTls === undefined) return command.reply(502, 'TLS is not available on this server');
  if (!['TLS', 'TLS-C', 'SSL'].includes(command.arg.trim().toUpperCase())) {
    return command.reply(504, `AUTH ${command.arg}: only AUTH TLS is supported`);
  }
  if (session.isSecure) return command.reply(503, 'TLS is already in force');
  command.reply(234, 'AUTH TLS successful');
  session.upgradeToTls(sessionTls());
}

/** PBSZ: only 0 makes sense over TLS (RFC 4217, section 9). */
export function pbsz(command: CommandContext): void {
  if (!command.session.isSecure) return command.reply(503, 'PBSZ needs AUTH TLS first');
  command.session.protectionBufferSet = true;
  command.reply(200, 'PBSZ=0');
}

/**
 * PROT C (clear) or P (private). Accepted without a PBSZ before it, as several
 * clients skip it. With TLS required, only P.
 */
export function prot(command: CommandContext): void {
  const { session } = command;
  if (!session.isSecure) return command.reply(503, 'PROT needs AUTH TLS first');
  const level = command.arg.trim().toUpperCase();
  if (level === 'P') {
    session.protectsData = true;
    return command.reply(200, 'Protection level set to Private');
  }
  if (level === 'C') {
    if (session.settings.tlsMode === 'required') {
      return command.reply(536, 'This server requires TLS on data connections: use PROT P');
    }
    session.protectsData = false;
    return command.reply(200, 'Protection level set to Clear');
  }
  if (level === 'S' || level === 'E') return command.reply(536, `PROT ${level} is not supported`);
  command.reply(504, `PROT ${command.arg}: unknown protection level`);
}

/**
 * FEAT: what this server supports; AUTH TLS only when TLS is on. A server
 * profile leaves out what its server does not offer (EPSV, MLST, UTF8). CLNT
 * is always there, as it is always answered (profile-behaviour.ts says why).
 */
export function feat(command: CommandContext): void {
  const { profile, settings } = command.session;
  const features = [
    ...(settings.tlsMode === 'off' ? [] : ['AUTH TLS', 'PBSZ', 'PROT']),
    'CLNT',
    ...(offersEpsv(profile) ? ['EPSV'] : []),
    'MDTM',
    ...(offersMachineListing(profile) ? [`MLST ${MLST_FACTS}`] : []),
    'PASV', 'REST STREAM', 'SIZE', 'TVFS',
    ...(offersUtf8(profile) ? ['UTF8'] : []),
  ];
  command.reply(211, ['Features:', ...features, 'End']);
}

/**
 * CLNT <name>: the client says what it is, before or after login. The name is
 * kept for the transcript, and the simulated back office is known by it
 * (client-name.ts): the faults of the devices' side spare its sessions.
 */
export function clnt(command: CommandContext): void {
  // The name as `CLNT` gives it, without the spaces around it: the server recognises it so.
  const name = command.arg.trim();
  if (name === '') return command.reply(501, 'CLNT needs a client name');
  command.session.clientName = name;
  command.reply(200, `Client name noted: ${name}`);
}

/**
 * OPTS UTF8 ON (names are always UTF-8 here, refused under a profile whose
 * names are in a Windows code page) and OPTS MLST (all facts are always sent).
 */
export function opts(command: CommandContext): void {
  const [option = '', value = ''] = command.arg.trim().split(/\s+/);
  const name = option.toUpperCase();
  if (name === 'UTF8' || name === 'UTF-8') {
    if (!offersUtf8(command.session.profile)) {
      return command.reply(501, `OPTS ${option}: not supported; file names are in ` +
        `${command.session.profile?.nameEncoding ?? 'the server\'s code page'}`);
    }
    if (value.toUpperCase() === 'OFF') return command.reply(504, 'File names are always UTF-8 here');
    return command.reply(200, 'UTF8 mode is on');
  }
  if (name === 'MLST') return command.reply(200, `MLST OPTS ${MLST_FACTS}`);
  command.reply(501, `OPTS ${option}: unknown option`);
}

/** SYST: `UNIX Type: L8`, or the profile's system (`Windows_NT`). */
export function syst(command: CommandContext): void {
  command.reply(215, systemName(command.session.profile));
}

export function noop(command: CommandContext): void {
  command.reply(200, 'NOOP ok');
}

/** STAT without an argument: the session's state, also while a transfer runs. */
export function stat(command: CommandContext): void {
  const { session } = command;
  if (command.arg.trim() !== '') return command.reply(502, 'STAT with a path is not supported: use LIST');
  command.reply(211, [
    'estock-hil FTP server status:',
    `Logged in: ${session.folder === undefined ? 'no' : 'yes'}; TLS: ${session.isSecure ? 'yes' : 'no'}`,
    `Transfer in progress: ${session.transferInProgress ? 'yes' : 'no'}`,
    'End of status',
  ]);
}

export function help(command: CommandContext): void {
  command.reply(214, 'See FEAT for the features of this server');
}

/** TYPE A or I: both accepted; every transfer is binary, as vsftpd does by default. */
export function type(command: CommandContext): void {
  const kind = command.arg.trim().toUpperCase();
  if (kind === 'I' || kind === 'L 8') return command.reply(200, 'Type set to I');
  if (kind === 'A' || kind === 'A N') return command.reply(200, 'Type set to A');
  command.reply(504, `TYPE ${command.arg}: not supported`);
}

export function mode(command: CommandContext): void {
  if (command.arg.trim().toUpperCase() === 'S') return command.reply(200, 'Mode set to S');
  command.reply(504, 'Only MODE S is supported');
}

export function stru(command: CommandContext): void {
  if (command.arg.trim().toUpperCase() === 'F') return command.reply(200, 'Structure set to F');
  command.reply(504, 'Only STRU F is supported');
}

export function allo(command: CommandContext): void {
  command.reply(202, 'ALLO not needed');
}

/** QUIT: 221, then the server closes the connection. */
export function quit(command: CommandContext): void {
  command.reply(221, 'Goodbye');
  command.session.endControl();
}

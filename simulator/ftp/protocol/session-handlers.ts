/**
 * What the protocol layer asks of the server around it: who may log in and
 * where they stand, and where each answered command goes (transcript,
 * events). The protocol layer knows the FTP wire; these handlers know the
 * companies.
 */

import type { FiredFault } from '../faults/fault-schema.ts';

/** Why a login was refused. */
export type LoginRefusal = 'unknown-login' | 'wrong-password' | 'disabled' | 'tls-required';

/** A login decision: the company root to confine the session to, or the refusal. */
export type LoginDecision = { root: string } | { refused: LoginRefusal };

/** A file transfer, as one command of a session did it. */
export interface TransferOutcome {
  direction: 'upload' | 'download';
  /** From the company root, without a leading `/`: `Entrant/eStock/T1/Version.txt`. */
  path: string;
  /** Why the transfer stopped before its end; absent for a complete one. */
  cutShort?: string;
}

/** A rename, as RNTO did it. */
export interface RenameOutcome {
  from: string;
  to: string;
}

/** What one command came to. */
export interface CommandOutcome {
  /** The command line as received, secrets included: mask it before writing it out. */
  line: string;
  arrivedAt: Date;
  /** Final reply code (226, not 150, for a transfer); 0 when the session closed before any reply. */
  reply: number;
  /** File or listing bytes carried by the data connection, when the command used one. */
  bytes?: number;
  transfer?: TransferOutcome;
  /** What the server profile in force did to the command, in words (docs/faults.md). */
  profile?: string;
  /** A file renamed (RNTO answered 250): both paths from the company root, without a leading `/`. */
  rename?: RenameOutcome;
  /** The name the client gave with CLNT, once given (this command's own included). */
  client?: string;
  /** Milliseconds from arrival to the final reply. */
  ms: number;
  /** The faults that fired while the command was answered. */
  faults?: FiredFault[];
}

/** The handlers of one session; their calls for a session come one at a time. */
export interface SessionHandlers {
  /** Names the session in log lines, e.g. `s0003`. */
  readonly label: string;
  /**
   * Decides a USER/PASS pair; `secure` tells whether the control connection
   * is under TLS, `clientName` what the client called itself with CLNT, if it did.
   */
  login(login: string, password: string, secure: boolean, clientName: string | undefined): LoginDecision;
  /** The session refused a login itself, before any password: TLS is required and not in force. */
  refused(login: string, reason: LoginRefusal): void;
  /** A command has had its final reply. */
  command(outcome: CommandOutcome): void;
  /** A fault has fired; it is in the command's outcome too, once the command ends. */
  fault?(fired: FiredFault): void;
  /** The control connection has closed; no call follows. */
  end(): void;
}

/**
 * Session transcripts of the FTP server: one JSON-lines file per session, one
 * line per command with its final reply, written as the session goes so that
 * a transcript survives a crash of the run.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../log.ts';
import type { FiredFault } from './faults/fault-schema.ts';

/** One line of a transcript (JSON lines). */
export interface TranscriptRecord {
  /** ISO 8601 time when the command arrived. */
  time: string;
  /** Session id, e.g. `s0003`. */
  session: string;
  /** The company, once logged in. */
  company?: string;
  /**
   * The command line as received, password masked: `PASS ****`. A fault that
   * fires outside any command has a record of its own whose command is the
   * occasion in parentheses: `(connect)`, `(idle)`.
   */
  command: string;
  /** Reply code, the final one for transfers (226, not 150); 0 if the session closed first. */
  reply: number;
  /** Data bytes transferred on the data connection (RETR, STOR, APPE, STOU, LIST, NLST). */
  bytes?: number;
  /** Why a file transfer stopped before its end (reply 426 and the like); absent when complete. */
  cutShort?: string;
  /**
   * What the server profile in force did to this command, in words: a
   * refused connection (`(connect)`), a verb it does not offer, a data
   * connection that did not resume the TLS session (docs/faults.md).
   */
  profile?: string;
  /**
   * The name the client gave with CLNT, on its CLNT and every record after:
   * `estock-hil back office` for the simulated back office (client-name.ts).
   */
  client?: string;
  /** Milliseconds from the command's arrival to its final reply. */
  ms: number;
  /** The faults that fired while this command was answered (docs/faults.md). */
  faults?: FiredFault[];
}

const log = logger('hil:ftp');

// Commands whose argument is a secret: the password, and the account some servers ask for.
const SECRET_COMMAND = /^(\s*(?:PASS|ACCT))(?:\s.*)?$/i;

/** The command line with its secret argument masked: `PASS hunter2` becomes `PASS ****`. */
export function maskCommand(line: string): string {
  const secret = SECRET_COMMAND.exec(line);
  return secret === null ? line : `${secret[1]!.trim().toUpperCase()} ****`;
}

/** `YYYYMMDD-HHMMSS-<session>.jsonl` in UTC: names sort in the order sessions started. */
export function transcriptFileName(startedAt: Date, session: string): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${session}.jsonl`;
}

/**
 * The transcript file of one session. Writes are synchronous and small, so the
 * file is complete as soon as a command is answered and nothing is left to
 * flush when the server stops. A failed write is logged, never thrown: the
 * transcript must not bring the FTP session down.
 */
export class SessionTranscript {
  /** Absolute path of the file. */
  readonly file: string;
  private fd: number | undefined;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.fd = fd;
  }

  /**
   * Creates the file of a new session in `folder` (which must exist). A name
   * already taken, by another server writing to the same folder, gets a
   * `-2`, `-3`... suffix. Throws the file system error when it cannot create the file.
   */
  static open(folder: string, session: string, startedAt: Date): SessionTranscript {
    const name = transcriptFileName(startedAt, session);
    for (let copy = 1; ; copy++) {
      const file = join(folder, copy === 1 ? name : name.replace(/\.jsonl$/, `-${copy}.jsonl`));
      try {
        return new SessionTranscript(file, openSync(file, 'wx'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  /** Appends one record as one line; ignored once closed. */
  append(record: TranscriptRecord): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${JSON.stringify(record)}\n`);
    } catch (error) {
      log('cannot write the transcript %s: %s', this.file, (error as Error).message);
    }
  }

  /** Closes the file; later appends are ignored. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (error) {
      log('cannot close the transcript %s: %s', this.file, (error as Error).message);
    }
  }
}

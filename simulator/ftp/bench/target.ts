/**
 * What the FTP benchmark needs of a server under test, whichever it is: where
 * to connect, the login, the folder on disk the login lands in, and how to stop it.
 */

/** A started FTP server on 127.0.0.1, ready for logins. */
export interface BenchTarget {
  /** Short name for the table: `ours`, `vsftpd`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly login: string;
  readonly password: string;
  /** The folder on disk the login lands in, where uploads are checked and downloads put. */
  readonly root: string;
  /** Stops the server and its processes; resolves when they have exited. */
  stop(): Promise<void>;
  /** Kills the server's processes at once, for a process that is exiting. */
  kill(): void;
}

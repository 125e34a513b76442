/**
 * The error family of the simulator. Every error has a stable `code` that
 * scripts and reports can match on, a message that says what failed with which
 * value and what to do next, and the underlying error as `cause`.
 */
export class HilError extends Error {
  /** Stable identifier of the kind of failure, e.g. `EXCHANGE_FORMAT`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where in a file a problem lies: the file (or zip entry), and optionally line and column. */
export interface FileLocation {
  file: string;
  line?: number;
  column?: string;
}

/** Formats a location as `file:line (column COL)`. */
export function describeLocation(at: FileLocation): string {
  let text = at.file;
  if (at.line !== undefined) text += `:${at.line}`;
  if (at.column !== undefined) text += ` (column ${at.column})`;
  return text;
}

/** A mapping file, a table file or an exchange file that does not follow its format. */
export class ExchangeFormatError extends HilError {
  readonly at: FileLocation;

  constructor(at: FileLocation, problem: string, options?: { cause?: unknown }) {
    super('EXCHANGE_FORMAT', `${describeLocation(at)}: ${problem}`, options);
    this.at = at;
  }
}

/** A zip that is empty, truncated, unsafe (an entry escaping its folder) or too large. */
export class ZipError extends HilError {
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super('ZIP', `${source}: ${problem}`, options);
  }
}

/** A configuration file or option with a wrong value: names the file and the key. */
export class ConfigError extends HilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
  }
}

/** An FTP exchange that failed; `replyCode` is the server's reply code when there was one. */
export class FtpError extends HilError {
  readonly replyCode: number | undefined;

  constructor(message: string, replyCode?: number, options?: { cause?: unknown }) {
    super('FTP', message, options);
    this.replyCode = replyCode;
  }
}

/** A back-office action refused or failed (unknown device, blocked device...). */
export class BackOfficeError extends HilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACK_OFFICE', message, options);
  }
}

/**
 * A value the back office refuses for its form, whatever it holds: a date
 * that is no day, a key that is not 16 hexadecimal digits, a setting of the
 * wrong kind. Its code stays `BACK_OFFICE`; `estock-hil bo` exits 2 for it,
 * as for any other mistake in what was typed (docs/bo-cli.md, exit codes).
 */
export class BackOfficeValueError extends BackOfficeError {}

/** A device action refused or failed (not configured, unknown lot, nothing received yet...). */
export class DeviceError extends HilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DEVICE', message, options);
  }
}

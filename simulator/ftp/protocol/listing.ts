/**
 * Folder listings in the forms clients parse: the Unix `ls -l` lines of LIST,
 * or the MS-DOS lines of IIS under a server profile that asks for them, the
 * bare names of NLST, and the machine facts of MLSD and MLST (RFC 3659).
 * Times are UTC, as in the MDTM reply.
 */
import type { Stats } from 'node:fs';

/** One entry of a folder. */
export interface ListedEntry {
  name: string;
  stats: Stats;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// `ls -l` shows the year instead of the time for files more than six months old (or in the future).
const SIX_MONTHS_MS = 182.5 * 24 * 3600 * 1000;
const FUTURE_SLACK_MS = 3600 * 1000;

/** `-rw-r--r-- 1 ftp ftp 1234 Dec  4 04:18 name`, or `... Dec  4  2025 name` when older than six months. */
export function unixListLine({ name, stats }: ListedEntry, now: Date): string {
  const kind = stats.isDirectory() ? 'd' : stats.isSymbolicLink() ? 'l' : '-';
  const size = String(stats.isDirectory() ? 4096 : stats.size).padStart(12);
  return `${kind}${permissions(stats.mode)}   1 ftp      ftp      ${size} ${listDate(stats.mtime, now)} ${name}`;
}

// IIS: the date and time, then `<DIR>` or the size right-aligned, then the name at column 40.
const DOS_DIR_FIELD = `${' '.repeat(7)}<DIR>${' '.repeat(10)}`;
const DOS_SIZE_WIDTH = 21;

/**
 * An MS-DOS listing line as IIS gives it, two-digit year and 12-hour clock:
 * `12-04-26  04:05PM       <DIR>          MvtStocks` for a folder,
 * `12-04-26  04:05PM                 1234 file.zip` for a file.
 */
export function dosListLine({ name, stats }: ListedEntry): string {
  const time = stats.mtime;
  const two = (value: number): string => String(value).padStart(2, '0');
  const date = `${two(time.getUTCMonth() + 1)}-${two(time.getUTCDate())}-${two(time.getUTCFullYear() % 100)}`;
  const hours = time.getUTCHours();
  const clock = `${two(hours % 12 === 0 ? 12 : hours % 12)}:${two(time.getUTCMinutes())}${hours < 12 ? 'AM' : 'PM'}`;
  const field = stats.isDirectory() ? DOS_DIR_FIELD : `${String(stats.size).padStart(DOS_SIZE_WIDTH)} `;
  return `${date}  ${clock}${field}${name}`;
}

function permissions(mode: number): string {
  const bits = 'rwxrwxrwx';
  return [...bits].map((letter, index) => ((mode >> (8 - index)) & 1 ? letter : '-')).join('');
}

function listDate(time: Date, now: Date): string {
  const age = now.getTime() - time.getTime();
  const month = MONTHS[time.getUTCMonth()]!;
  const day = String(time.getUTCDate()).padStart(2);
  if (age > SIX_MONTHS_MS || age < -FUTURE_SLACK_MS) return `${month} ${day}  ${time.getUTCFullYear()}`;
  const hours = String(time.getUTCHours()).padStart(2, '0');
  const minutes = String(time.getUTCMinutes()).padStart(2, '0');
  return `${month} ${day} ${hours}:${minutes}`;
}

/** `YYYYMMDDHHMMSS` in UTC, the time value of MDTM and of MLSD's `modify` fact. */
export function ftpTime(time: Date): string {
  return time.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The MLST facts advertised in FEAT; all of them are always sent. */
export const MLST_FACTS = 'type*;size*;modify*;perm*;';

/** `type=file;size=1234;modify=20240101120000;perm=adfrw; name` (RFC 3659, section 7). */
export function machineListLine({ name, stats }: ListedEntry): string {
  const isFolder = stats.isDirectory();
  const facts = [
    `type=${isFolder ? 'dir' : 'file'}`,
    ...(isFolder ? [] : [`size=${stats.size}`]),
    `modify=${ftpTime(stats.mtime)}`,
    `perm=${isFolder ? 'cdeflmp' : 'adfrw'}`,
  ];
  return `${facts.join(';')}; ${name}`;
}

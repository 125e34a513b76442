/**
 * The path a command names, from the company root without a leading `/`, as
 * fault selectors match it (`Entrant/eStock/T1/MvtStocks/x.zip`).
 */
import type { CompanyFolder } from '../protocol/company-folder.ts';

const PATH_VERBS: ReadonlySet<string> = new Set([
  'RETR', 'STOR', 'APPE', 'DELE', 'RNFR', 'RNTO', 'SIZE', 'MDTM', 'MLST', 'MLSD', 'LIST', 'NLST',
  'CWD', 'XCWD', 'MKD', 'XMKD', 'RMD', 'XRMD',
]);
const LIST_VERBS: ReadonlySet<string> = new Set(['LIST', 'NLST']);

/**
 * The path of `verb arg` resolved against `cwd`, or undefined for a verb that
 * names no path, before login (no `folder`), or for a path that cannot be resolved.
 */
export function commandPath(verb: string, arg: string, cwd: string, folder: CompanyFolder | undefined):
  string | undefined {
  if (folder === undefined || !PATH_VERBS.has(verb)) return undefined;
  // Clients send `LIST -la /path`, as to ls: the options are no part of the path.
  const clientPath = LIST_VERBS.has(verb) ? arg.replace(/^(\s*-[A-Za-z]+\s*)+/, '') : arg;
  try {
    return folder.resolve(cwd, clientPath === '' ? '.' : clientPath).virtual.slice(1);
  } catch {
    return undefined;
  }
}

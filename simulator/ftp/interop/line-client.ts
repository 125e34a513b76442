/**
 * The line protocol of our small client programs (ftplib_client.py,
 * CommonsNetClient.java): the operations of one session go to the program's
 * standard input, one a line, fields separated by tabs; it prints the result
 * lines of each operation, then `done<TAB>verb`. It keeps each program to a
 * thin loop over its library, and lets both share one suite of tests.
 */

/** One operation of a session; folders and remote paths are from the company root. */
export type Operation =
  /** LIST of `folder` (from inside it): prints `line<TAB>raw line`, and `name<TAB>name` when the library parses. */
  | ['list', string]
  /** NLST from inside `folder`: prints `name<TAB>name`. */
  | ['nlst', string]
  /** MLSD of `folder`: prints `entry<TAB>name<TAB>type<TAB>size`, type `file`, `dir`, or as the server gave it. */
  | ['mlsd', string]
  /** Downloads `remote` into `local`; from `offset` on (REST), keeping the local file's first bytes. */
  | ['get', string, string, number?]
  /** Uploads `local` as `remote`; from `offset` on with REST then STOR. */
  | ['put', string, string, number?]
  /** Appends `local` from `offset` on to `remote` (APPE). */
  | ['append', string, string, number]
  | ['rename', string, string]
  | ['delete', string];

/** An MLSD entry as the client library read it. */
export interface MlsdEntry {
  name: string;
  type: string;
  size: string;
}

/** What one operation printed. */
export interface OperationResult {
  verb: string;
  /** Raw LIST lines. */
  lines: string[];
  /** Names from NLST, or from LIST when the library parses it. */
  names: string[];
  entries: MlsdEntry[];
}

/** The standard input of a session running `operations`. */
export function operationLines(operations: readonly Operation[]): string {
  return operations.map((operation) => `${operation.map(String).join('\t')}\n`).join('');
}

/**
 * Splits a program's output into one result per operation. Throws when it
 * printed fewer `done` lines than there were operations.
 */
export function operationResults(stdout: string, operations: readonly Operation[]): OperationResult[] {
  const results: OperationResult[] = [];
  let current: OperationResult = { verb: '', lines: [], names: [], entries: [] };
  for (const line of stdout.split('\n')) {
    const [kind, ...fields] = line.split('\t');
    if (kind === 'line') current.lines.push(fields.join('\t'));
    if (kind === 'name') current.names.push(fields.join('\t'));
    if (kind === 'entry') current.entries.push({ name: fields[0]!, type: fields[1]!, size: fields[2]! });
    if (kind === 'done') {
      results.push({ ...current, verb: fields[0]! });
      current = { verb: '', lines: [], names: [], entries: [] };
    }
  }
  if (results.length !== operations.length) {
    throw new Error(`the client did ${results.length} of ${operations.length} operations; it printed:\n${stdout}`);
  }
  return results;
}

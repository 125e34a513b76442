/**
 * Why a worker's session did not open, as WebdriverIO's spec reporter prints
 * it in the launcher's output: `[<caps> #0-0] ✖ Failed to create a session:`
 * then the error on the next line of that worker. The launcher has it nowhere
 * else (the worker keeps it to itself), so its output is read as it is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The output written while watching, and the session errors found in it. */
export interface SessionErrorWatch {
  /** Stops watching; the error of each worker whose session did not open, by capability index. */
  stop(): Map<number, string>;
}

/** Watches what the process writes to stdout (it is still written) for session errors. */
export function watchSessionErrors(): SessionErrorWatch {
  const write = process.stdout.write.bind(process.stdout);
  let output = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    stop: () => {
      process.stdout.write = write;
      return sessionErrorsIn(output);
    },
  };
}

// eslint-disable-next-line no-control-regex -- the colours of the reporter's output are escape sequences.
const COLOURS = /\u001b\[[0-9;]*m/g;

/** The session errors in a launcher's output, by capability index (the first number of the worker's cid). */
export function sessionErrorsIn(output: string): Map<number, string> {
  const errors = new Map<number, string>();
  const lines = output.replace(COLOURS, '').split('\n');
  lines.forEach((line, index) => {
    const failed = /\[.* #(\d+)-\d+\]\s*✖ Failed to create a session:/.exec(line);
    if (failed === null) return;
    const prefix = line.slice(0, line.indexOf(']') + 1);
    const next = lines.slice(index + 1).find((candidate) => candidate.startsWith(prefix) &&
      candidate.slice(prefix.length).trim() !== '');
    if (next !== undefined) errors.set(Number(failed[1]), next.slice(prefix.length).trim());
  });
  return errors;
}

/** Writes the session errors by device to `file` (JSON), for whoever reads the run folder afterwards. */
export function writeSessionErrors(file: string, errors: ReadonlyMap<string, string>): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(errors), null, 2)}\n`);
}

/**
 * How every `estock-hil bo` command runs: it reads the common options, opens
 * the back office (bo-open.ts), does its work and prints either lines for a
 * person or exactly one JSON object on stdout (`--json`), errors included.
 *
 * Exit codes: 0 the action ran and the back office reported nothing wrong;
 * 1 the back office refused it for what it holds (a BackOfficeError, an FTP
 * or exchange error) or its report has anomalies; 2 a mistake in what was
 * typed (a ConfigError, a BackOfficeValueError, a usage error), or a fault of
 * the harness (a serve that holds the state folder but does not answer).
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { describeAnomaly, type Anomaly } from '../simulator/bo/index.ts';
import { BackOfficeValueError, HilError } from '../simulator/errors.ts';
import { boTarget, openForCommand, type OpenedBackOffice, type RawTarget } from './bo-open.ts';
import { DEFAULT_STATE_FOLDER } from './serve.ts';

/** Exit code: the action ran and nothing was refused. */
export const EXIT_OK = 0;
/** Exit code: the back office refused the action for what it holds, or reported anomalies. */
export const EXIT_REFUSED = 1;
/** Exit code: a mistake in what was typed (flag, value, file), or a fault of the harness. */
export const EXIT_BROKEN = 2;

/** Codes of errors the back office (or the FTP server it reaches) answers with: exit 1, not 2. */
const REFUSAL_CODES = new Set(['BACK_OFFICE', 'FTP', 'EXCHANGE_FORMAT', 'ZIP']);

/** The options every bo command takes. */
export interface CommonFlags extends RawTarget {
  json?: boolean;
}

/** What a command did. */
export interface Outcome {
  /** The command's own fields of the JSON object; `command`, `company`, `state` and `ftp` are added. */
  json: Record<string, unknown>;
  /** What a person reads. */
  text: string[];
  /** The back office refused or reported anomalies: exit 1. */
  refused?: boolean;
}

/** What a command needs of its back office. */
export interface Needs {
  /** It exports or imports: an FTP server must be reachable (serve's, or its own). */
  ftp: boolean;
  /** Seed a new back office's catalog first; default true. */
  seedNew?: boolean;
}

/** Adds the options every bo command takes. */
export function withCommonFlags(command: Command): Command {
  return command
    .option('--state <folder>', 'the simulator\'s state folder, shared with serve', DEFAULT_STATE_FOLDER)
    .option('--companies <file>', 'companies file, or a shipped one by name (bench); default the demo company')
    .option('--company <name>', 'the company (name or FTP login); needed when the companies file has several')
    .option('--json', 'print exactly one JSON object on stdout');
}

/**
 * Runs one bo command: opens the back office, runs `work`, closes it and
 * prints; sets the exit code. Never throws: an error is printed (as the JSON
 * object's `error` with --json) and sets exit code 1 or 2.
 */
export async function runBo(name: string, flags: CommonFlags, needs: Needs,
  work: (opened: OpenedBackOffice) => Promise<Outcome> | Outcome): Promise<void> {
  const json = flags.json === true;
  const head: Record<string, unknown> = { command: `bo ${name}` };
  try {
    const target = boTarget(flags);
    Object.assign(head, { company: target.company.company.name, state: target.state });
    const opened = await openForCommand(target, needs);
    let outcome: Outcome;
    try {
      outcome = await work(opened);
    } finally {
      await opened.close();
    }
    if (json) {
      const ftp = opened.ftp ?? null;
      print(JSON.stringify({ ...head, ftp, ...outcome.json, refused: outcome.refused === true }));
    } else {
      outcome.text.forEach(print);
    }
    process.exitCode = outcome.refused === true ? EXIT_REFUSED : EXIT_OK;
  } catch (error) {
    reportFailure(name, json, head, error);
  }
}

/**
 * Prints a command's failure: one line on stderr, and with --json the JSON
 * object `{ ...head, error: { code, message } }` on stdout; sets exit code 1
 * for a refusal of the back office, 2 for anything else.
 */
export function reportFailure(name: string, json: boolean, head: Record<string, unknown>, error: unknown): void {
  const code = error instanceof HilError ? error.code : undefined;
  const message = error instanceof HilError ? error.message : (error as Error).stack ?? String(error);
  if (json) print(JSON.stringify({ ...head, error: { ...(code !== undefined && { code }), message } }));
  process.stderr.write(`estock-hil bo ${name}: ${message}\n`);
  const refused = code !== undefined && REFUSAL_CODES.has(code) && !(error instanceof BackOfficeValueError);
  process.exitCode = refused ? EXIT_REFUSED : EXIT_BROKEN;
}

/**
 * Ends the process quietly when stdout is closed under it, as by
 * `bo settings | head -1`: what is left to print has no reader.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT_OK);
  });
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A table for a person, in the look of the run summary: no lines between rows. */
export function table(head: string[], rows: (string | number)[][], rightAligned: number[] = []): string {
  const out = new Table({
    head,
    colAligns: head.map((_, index) => rightAligned.includes(index) ? 'right' : 'left'),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  out.push(...rows.map((row) => row.map(String)));
  return out.toString();
}

/** `yes` or empty, for a table cell. */
export function yes(value: boolean): string {
  return value ? 'yes' : '';
}

/** Anomaly lines for a person: `  anomaly: file:line: reason`. */
export function anomalyLines(anomalies: readonly Anomaly[], indent = '  '): string[] {
  return anomalies.map((anomaly) => `${indent}anomaly: ${describeAnomaly(anomaly)}`);
}

/** `2026-12-31` as `31/12/2026`, as the back office shows dates. */
export function shownDay(day: string): string {
  return day.split('-').reverse().join('/');
}

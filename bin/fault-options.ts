/**
 * The fault and profile options shared by `estock-hil run`, `serve` and
 * `faults`: `--fault <yaml>` (repeatable), `--faults <file>`, `--seed <n>`
 * and `--ftp-profile <name|file>`, checked and read.
 */
import { Option, type Command } from 'commander';
import { ConfigError } from '../simulator/errors.ts';
import type { FaultSpec } from '../simulator/ftp/faults/fault-schema.ts';
import { loadFaultFile, parseFaultText } from '../simulator/ftp/faults/load-faults.ts';
import { loadServerProfile } from '../simulator/ftp/profiles/load-profile.ts';
import type { ServerProfile } from '../simulator/ftp/profiles/profile-schema.ts';

/** The options as commander gives them. */
export interface RawFaultOptions {
  fault?: string[];
  faults?: string;
  seed?: string;
  ftpProfile?: string;
}

/** The options read: the faults in order (the file's, then each --fault), the seed and the profile. */
export interface FaultOptions {
  faults: FaultSpec[];
  seed?: number;
  profile?: ServerProfile;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds --fault, --faults (or `fileFlag`) and --seed to a command; --ftp-profile too unless `profile` is false. */
export function addFaultOptions(command: Command, { fileFlag = '--faults', profile = true } = {}): Command {
  command
    .addOption(new Option('--fault <yaml>', 'a fault as YAML or JSON text, e.g. "bandwidth: 3g" or ' +
      '\'{cut: {direction: upload, atPercent: 40}}\'; repeat for several (docs/faults.md)').argParser(collect)
      .default([]))
    .option(`${fileFlag} <file>`, 'a fault file (seed: and faults:), its faults before those of --fault')
    .option('--seed <n>', 'the seed of the faults\' random draws (default the fault file\'s, or 1)');
  if (profile) {
    command.option('--ftp-profile <name|file>', 'a customer FTP server\'s behaviour: a shipped profile ' +
      '(simulator/ftp/profiles) by name, or a profile file');
  }
  return command;
}

/**
 * Reads the options. Throws ConfigError naming the option and the value at
 * fault: fault text that is not a fault, a fault file or profile that cannot
 * be read, a seed that is not a whole number.
 */
export function readFaultOptions(raw: RawFaultOptions, fileFlag = '--faults'): FaultOptions {
  const file = raw.faults === undefined ? undefined : readFaultFile(raw.faults, fileFlag);
  const faults = [...(file?.faults ?? []),
    ...(raw.fault ?? []).map((text) => parseFaultText(text, `--fault ${JSON.stringify(text)}`))];
  const seed = raw.seed === undefined ? file?.seed : readSeed(raw.seed);
  const profile = raw.ftpProfile === undefined ? undefined : readProfile(raw.ftpProfile);
  return { faults, ...(seed !== undefined && { seed }), ...(profile !== undefined && { profile }) };
}

function readFaultFile(file: string, flag: string): { faults: FaultSpec[]; seed?: number } {
  try {
    return loadFaultFile(file);
  } catch (error) {
    throw new ConfigError(`${flag} ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** A seed from the command line. Throws ConfigError when it is not a whole number. */
function readSeed(text: string): number {
  const seed = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(seed)) {
    throw new ConfigError(`--seed: ${text} is not a whole number from ${Number.MIN_SAFE_INTEGER} to ` +
      `${Number.MAX_SAFE_INTEGER}, e.g. 42`);
  }
  return seed;
}

function readProfile(nameOrPath: string): ServerProfile {
  try {
    return loadServerProfile(nameOrPath);
  } catch (error) {
    throw new ConfigError(`--ftp-profile ${nameOrPath}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The fault files and server profiles a scenario names, found from the
 * scenario's own folder and read when it is loaded, so that a missing or
 * wrong one is told by `estock-hil validate`, at its line, before any run.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadFaultFile } from '../../simulator/ftp/faults/load-faults.ts';
import { loadServerProfile, profileFile } from '../../simulator/ftp/profiles/load-profile.ts';
import type { FilePart, YamlFile, YamlPath } from '../../simulator/yaml-file.ts';
import { NO_PROFILE } from './ftp-schema.ts';
import type { ScenarioSetup, Step } from './schema.ts';

/** A path from the scenario's folder, made absolute. */
function fromScenario(scenarioFile: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(scenarioFile), path);
}

/**
 * Makes the fault file and profile paths of the setup and of the `ftp.*`
 * steps absolute, and records a problem for each that cannot be read.
 * Changes `setup` and `steps` in place.
 */
export function resolveFtpFiles(source: YamlFile, setup: ScenarioSetup, steps: readonly (Step | undefined)[],
  part: (step: Step) => FilePart): void {
  const check = (path: YamlPath, key: string, read: () => unknown, stepPart?: FilePart): void => {
    try {
      read();
    } catch (error) {
      source.add(path, `${key}: ${(error as Error).message}`, stepPart);
    }
  };
  const ftp = setup.ftp;
  if (typeof ftp?.faults === 'string') {
    const file = ftp.faults = fromScenario(source.file, ftp.faults);
    check(['setup', 'ftp', 'faults'], 'setup.ftp.faults', () => loadFaultFile(file));
  }
  if (ftp?.profile !== undefined && ftp.profile !== NO_PROFILE) {
    const profile = ftp.profile = profilePath(source.file, ftp.profile);
    check(['setup', 'ftp', 'profile'], 'setup.ftp.profile', () => loadServerProfile(profile));
  }

  for (const step of steps) {
    if (step === undefined) continue;
    const path: YamlPath = ['steps', step.index, step.action];
    if (step.action === 'ftp.faults') {
      for (const key of ['set', 'add'] as const) {
        const list = step.body[key];
        if (typeof list !== 'string') continue;
        const file = step.body[key] = fromScenario(source.file, list);
        check([...path, key], key, () => loadFaultFile(file), part(step));
      }
    }
    if (step.action === 'ftp.profile' && step.body.name !== NO_PROFILE) {
      const profile = step.body.name = profilePath(source.file, step.body.name);
      check(path, 'ftp.profile', () => loadServerProfile(profile), part(step));
    }
  }
}

/** A shipped profile's name as it is; a profile file's path from the scenario's folder. */
function profilePath(scenarioFile: string, nameOrPath: string): string {
  return profileFile(nameOrPath) === nameOrPath ? fromScenario(scenarioFile, nameOrPath) : nameOrPath;
}

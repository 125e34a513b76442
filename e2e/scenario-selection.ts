/**
 * Which scenario files an Appium run takes: every one of scenarios/ by
 * default; or those a `--scenarios` filter names: an existing file or folder,
 * or a glob (`*`, `?`, `**`) or a name matched against each shipped file's
 * name (`full-cycle`, `full-cycle.yaml`), its path from the project
 * (`scenarios/two-*.yaml`) and its scenario's name (`Full cycle`).
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ConfigError } from '../simulator/errors.ts';
import { defaultScenarioName, loadScenario } from '../scenarios/runner/load.ts';
import { scenarioFiles } from '../scenarios/runner/run-suite.ts';
import { PROJECT_ROOT } from './e2e-run.ts';

/** The scenario files a filter selects, sorted; every shipped one without a filter. Throws ConfigError for none. */
export function selectScenarioFiles(filter?: string, shipped: readonly string[] = scenarioFiles()): string[] {
  if (filter === undefined) return [...shipped];
  const asPath = resolve(PROJECT_ROOT, filter);
  if (existsSync(asPath)) return statSync(asPath).isDirectory() ? scenarioFiles(asPath) : [asPath];

  const pattern = globPattern(filter);
  const selected = shipped.filter((file) => namesOf(file).some((name) => pattern.test(name)));
  if (selected.length === 0) {
    throw new ConfigError(`--scenarios ${filter}: no scenario file or name matches; the scenarios are ` +
      `${shipped.map(defaultScenarioName).join(', ')}`);
  }
  return selected;
}

/** The title of a scenario file's test: its scenario's name, or the file's name when it does not load. */
export function scenarioTitle(file: string): string {
  try {
    return loadScenario(file).name;
  } catch {
    return defaultScenarioName(file);
  }
}

/** What a filter is matched against: the file's name with and without .yaml, its path, its scenario's name. */
function namesOf(file: string): string[] {
  const path = relative(PROJECT_ROOT, file);
  const names = [defaultScenarioName(file), path, path.split('/').pop()!];
  try {
    names.push(loadScenario(file).name);
  } catch {
    // A file that does not load still matches by its name; the run reports it broken.
  }
  return names;
}

/** A glob as an anchored regular expression: `**` any path, `*` any name part, `?` one character. */
export function globPattern(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index]!;
    if (char === '*' && glob[index + 1] === '*') {
      source += '.*';
      index += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

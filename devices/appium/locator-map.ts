/**
 * Locator maps: for one app version, each logical element name to the
 * locators tried in order, and each message to a regular expression with
 * named groups (`devices/locators/<version>.yaml`, docs/devices.md). A new
 * app version needs a new map, not new code.
 *
 * Which map serves an installed version: the map whose file name is the
 * longest leading part of the version, counted in whole numbers: for 2.1.3,
 * `2.1.3.yaml`, else `2.1.yaml`, else `2.yaml`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../../simulator/errors.ts';
import { YamlFile } from '../../simulator/yaml-file.ts';
import { ELEMENT_NAMES, MESSAGE_GROUPS, type ElementName, type MessageName } from './locator-names.ts';

export { ELEMENT_NAMES, MESSAGE_GROUPS, type ElementName, type MessageName };

/** The folder of the locator maps shipped with the project. */
export const LOCATORS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', 'locators');

const text = z.string().min(1);

/** One way to find an element: exactly one strategy. */
export const locatorSchema = z.union([
  z.strictObject({ uiautomator: text }),
  z.strictObject({ id: text }),
  z.strictObject({ accessibilityId: text }),
  z.strictObject({ xpath: text }),
]);

/** One way to find an element, as written in a map. */
export type Locator = z.infer<typeof locatorSchema>;

const messageSchema = text.superRefine((source, context) => {
  try {
    new RegExp(source, 'u');
  } catch (error) {
    context.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}` });
  }
});

const mapFileSchema = z.strictObject({
  app: text.optional(),
  version: z.union([text, z.number()]).optional(),
  screens: z.record(text, z.record(text, z.array(locatorSchema).min(1))),
  messages: z.record(text, messageSchema),
});

/** A logical element: the screen it is on and its locators in the order they are tried. */
export interface MapElement {
  name: ElementName;
  screen: string;
  locators: readonly Locator[];
}

/** A checked locator map. */
export interface LocatorMap {
  /** The file it was read from, or what it was made from. */
  readonly source: string;
  readonly elements: ReadonlyMap<ElementName, MapElement>;
  readonly messages: ReadonlyMap<MessageName, RegExp>;
}

/** The versions that have a map, e.g. `['2.1']`, from the file names in `folder`. */
export function listLocatorMaps(folder = LOCATORS_FOLDER): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.yaml')).map((name) => name.slice(0, -5)).sort();
}

/**
 * The map version that serves an installed app version (the rule at the top
 * of this file), or undefined when none does.
 */
export function mapVersionFor(appVersion: string, available: readonly string[]): string | undefined {
  const parts = appVersion.split('.');
  for (let length = parts.length; length > 0; length -= 1) {
    const candidate = parts.slice(0, length).join('.');
    if (available.includes(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Loads the map that serves `appVersion` from `folder`. Throws ConfigError
 * when none does, and YamlFileError naming the file, line and key when the
 * map is wrong.
 */
export function loadLocatorMapFor(appVersion: string, folder = LOCATORS_FOLDER): LocatorMap {
  const available = listLocatorMaps(folder);
  const version = mapVersionFor(appVersion, available);
  if (version === undefined) {
    throw new ConfigError(`no locator map serves app version ${appVersion}: the maps in ${folder} are ` +
      `${available.join(', ') || 'none'}; write ${folder}/${appVersion.split('.').slice(0, 2).join('.')}.yaml ` +
      '(estock-hil calibrate shows the screens, docs/devices.md)');
  }
  return loadLocatorMap(join(folder, `${version}.yaml`));
}

/** Reads and checks one map file. Throws YamlFileError with every problem, each with its line. */
export function loadLocatorMap(file: string): LocatorMap {
  const yaml = YamlFile.read(file, 'locator map');
  const written = yaml.parseMapping(mapFileSchema, 'a locator map needs screens: and messages:');
  const problems: { path: (string | number)[]; problem: string }[] = [];
  const map = buildMap(file, written, (path, problem) => problems.push({ path, problem }));
  // Each path ends with a key (a name, `screens`): its line is the key's, not that of the value below it.
  for (const { path, problem } of problems) {
    yaml.addAt(yaml.lineOfKey(path.slice(0, -1), String(path.at(-1))), `${path.join('.')}: ${problem}`);
  }
  yaml.throwIfWrong();
  return map;
}

/**
 * Checks a map given as data (e.g. a map changed by a test), `source` naming
 * it in messages. Throws ConfigError listing every problem.
 */
export function parseLocatorMap(data: unknown, source: string): LocatorMap {
  const parsed = mapFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new ConfigError(`${source}: ${lines.join('; ')}`);
  }
  const problems: string[] = [];
  const map = buildMap(source, parsed.data, (path, problem) => problems.push(`${path.join('.')}: ${problem}`));
  if (problems.length > 0) throw new ConfigError(`${source}: ${problems.join('; ')}`);
  return map;
}

type Report = (path: (string | number)[], problem: string) => void;

function buildMap(source: string, written: z.infer<typeof mapFileSchema>, report: Report): LocatorMap {
  const known = new Set<string>(ELEMENT_NAMES);
  const elements = new Map<ElementName, MapElement>();
  for (const [screen, names] of Object.entries(written.screens)) {
    for (const [name, locators] of Object.entries(names)) {
      const path = ['screens', screen, name];
      const earlier = elements.get(name as ElementName);
      if (!known.has(name)) {
        report(path, `unknown element "${name}"; the page objects use the names of ELEMENT_NAMES in ` +
          'devices/appium/locator-names.ts');
      } else if (earlier !== undefined) {
        report(path, `element "${name}" is already on screen ${earlier.screen}`);
      } else {
        elements.set(name as ElementName, { name: name as ElementName, screen, locators });
      }
    }
  }
  const missing = ELEMENT_NAMES.filter((name) => !elements.has(name));
  if (missing.length > 0) report(['screens'], `elements missing: ${missing.join(', ')}`);
  return { source, elements, messages: buildMessages(written.messages, report) };
}

function buildMessages(written: Record<string, string>, report: Report): Map<MessageName, RegExp> {
  const messages = new Map<MessageName, RegExp>();
  for (const [name, source] of Object.entries(written)) {
    const groups = (MESSAGE_GROUPS as Record<string, readonly string[]>)[name];
    if (groups === undefined) {
      const known = Object.keys(MESSAGE_GROUPS).join(', ');
      report(['messages', name], `unknown message "${name}"; the page objects read ${known}`);
      continue;
    }
    const lacking = groups.filter((group) => !source.includes(`(?<${group}>`));
    if (lacking.length > 0) {
      const needed = lacking.map((group) => `(?<${group}>…)`).join(', ');
      report(['messages', name], `the expression needs the named groups ${needed}`);
      continue;
    }
    messages.set(name as MessageName, new RegExp(source, 'u'));
  }
  const missing = Object.keys(MESSAGE_GROUPS).filter((name) => !(name in written));
  if (missing.length > 0) report(['messages'], `messages missing: ${missing.join(', ')}`);
  return messages;
}

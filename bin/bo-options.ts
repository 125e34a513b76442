/**
 * The flags of `estock-hil bo` that carry more than a word, read into what
 * the back office takes: settings assignments (`key=value`), the lot
 * selection and scope of an export, ranges (`2018..2020`). Each throws
 * ConfigError naming the flag or the key at fault.
 */
import type { EstockSettings, ExportOptions, LotSelection } from '../simulator/bo/index.ts';
import { estockSettingsSchema } from '../simulator/bo/settings.ts';
import { ConfigError } from '../simulator/errors.ts';

/** The settings' keys, as `bo settings set` takes them. */
export const SETTINGS_KEYS = Object.keys(estockSettingsSchema.shape) as (keyof EstockSettings)[];

/**
 * `key=value` assignments into a settings change. A value is a number for a
 * key that holds numbers (settleMs) and reads as a whole number; the back
 * office checks the rest. Throws ConfigError for an assignment without `=`
 * or an unknown key.
 */
export function settingsChange(assignments: readonly string[]): Partial<EstockSettings> {
  if (assignments.length === 0) {
    throw new ConfigError(`give at least one key=value; the keys are ${SETTINGS_KEYS.join(', ')}`);
  }
  const change: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new ConfigError(`"${assignment}" is not key=value, e.g. negativeStock=refuse`);
    const key = assignment.slice(0, equals).trim();
    const value = assignment.slice(equals + 1);
    if (!(SETTINGS_KEYS as string[]).includes(key)) {
      throw new ConfigError(`${key} is not a setting; the keys are ${SETTINGS_KEYS.join(', ')}`);
    }
    const holdsNumbers = estockSettingsSchema.shape[key as keyof EstockSettings].safeParse(0).success;
    change[key] = holdsNumbers && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return change as Partial<EstockSettings>;
}

/**
 * A range as typed: `2018..2020`, `2018..`, `..2020`, or `2018` alone (from
 * and to). Its bounds are years of 4 digits (`year`) or quantities, decimals
 * with a point. Throws ConfigError naming the flag.
 */
export function parseRange(flag: string, text: string, bounds: 'year' | 'quantity'): { from?: number; to?: number } {
  const whole = bounds === 'year';
  const number = whole ? '\\d{4}' : '\\d+(?:\\.\\d+)?';
  const match = new RegExp(`^(${number})?(\\.\\.)?(${number})?$`).exec(text.trim());
  const [, from, dots, to] = match ?? [];
  if (match === null || (from === undefined && to === undefined) || (dots === undefined && to !== undefined)) {
    const example = whole ? 'years of 4 digits: 2018..2020, 2018.., ..2020 or 2018'
      : '1..100, 10.., ..5.5 or 12';
    throw new ConfigError(`${flag}: "${text}" is not a range; write ${example}`);
  }
  const range = {
    ...(from !== undefined && { from: Number(from) }),
    ...(to !== undefined && { to: Number(to) }),
  };
  if (dots === undefined) return { from: range.from, to: range.from };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new ConfigError(`${flag}: "${text}" goes from ${range.from} down to ${range.to}; ` +
      'write the lower bound first');
  }
  return range;
}

/** Collects a repeatable flag, each value possibly a comma-separated list: `--depot CHAI,CAVE --depot STOCK`. */
export function collectCodes(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], ...value.split(',').map((code) => code.trim()).filter((code) => code !== '')];
}

/**
 * The device ids of `--device <id...>`, each value possibly a comma-separated
 * list. Throws ConfigError for an id given twice: the command would export
 * to (or import from) that device twice.
 */
export function deviceIds(values: readonly string[]): string[] {
  const ids = values.flatMap((value) => collectCodes(value, []));
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice !== undefined) throw new ConfigError(`--device: ${twice} is given twice; give each device once`);
  return ids;
}

/** The selection flags of `bo export`, as commander hands them over. */
export interface ExportFlags {
  article?: string[];
  family?: string[];
  depot?: string[];
  location?: string[];
  vintage?: string;
  quantity?: string;
  allArticles?: boolean;
  existingLots?: boolean;
}

/**
 * The lot selection and scope of `bo export`, as ExportOptions (without
 * progress). No selection flag, no selection; no scope flag, no scope (the
 * back office's default, every article). Throws ConfigError naming the flag.
 */
export function exportOptions(flags: ExportFlags): Omit<ExportOptions, 'onProgress'> {
  if (flags.allArticles === true && flags.existingLots === true) {
    throw new ConfigError('--all-articles and --existing-lots: choose one scope, « Tous les articles » or ' +
      '« Lot existant »');
  }
  const selection: LotSelection = {
    ...(flags.article !== undefined && { articles: flags.article }),
    ...(flags.family !== undefined && { families: flags.family }),
    ...(flags.depot !== undefined && { depots: flags.depot }),
    ...(flags.location !== undefined && { locations: flags.location }),
    ...(flags.vintage !== undefined && { vintages: parseRange('--vintage', flags.vintage, 'year') }),
  };
  if (flags.quantity !== undefined) {
    const { from, to } = parseRange('--quantity', flags.quantity, 'quantity');
    selection.quantity = { ...(from !== undefined && { min: from }), ...(to !== undefined && { max: to }) };
  }
  const scope = flags.allArticles === true ? 'all-articles' : flags.existingLots === true ? 'existing-lots' : undefined;
  return {
    ...(Object.keys(selection).length > 0 && { selection }),
    ...(scope !== undefined && { scope }),
  };
}

/** A whole number flag, at least `min`. Throws ConfigError naming the flag. */
export function wholeNumber(flag: string, text: string, min = 0): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw new ConfigError(`${flag}: ${text} is not a whole number >= ${min}`);
  }
  return Number(text);
}

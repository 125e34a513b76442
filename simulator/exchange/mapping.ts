/**
 * Mapping files: an exchange format as data (codec, paths, tables, columns),
 * read from YAML, validated against mapping-schema.ts and normalised into a
 * Mapping. See docs/exchange-format.md for every key.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ConfigError, ExchangeFormatError } from '../errors.ts';
import {
  FILE_NAME, mappingSchema, SINGLE_ROW_FILES, UPLOAD_PARTS, type RawColumn, type RawMapping, type RawTable,
} from './mapping-schema.ts';
import type { ColumnSpec, Mapping, SingleRowFileName, TableSpec } from './types.ts';

/** Folder of the shipped mappings: simulator/exchange/mappings/<format>/<version>.yaml */
export const MAPPINGS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'mappings');

const MAX_ISSUES_SHOWN = 5;

// Aliases in the YAML (`*criteria`) share one object: every spec is built afresh.
function columnSpec(raw: RawColumn, isKey: boolean): ColumnSpec {
  const column: ColumnSpec = { name: raw.name, type: raw.type, required: raw.required || isKey };
  if (raw.length !== undefined) column.length = raw.length;
  if (raw.scale !== undefined) column.scale = raw.scale;
  return column;
}

function tableSpec(name: string, file: string, key: readonly string[],
  columns: readonly RawColumn[]): TableSpec {
  const specs = columns.map((column) => columnSpec(column, key.includes(column.name)));
  return { name, file, key: [...key], columns: specs };
}

function exchangeTable(raw: RawTable): TableSpec {
  return tableSpec(raw.name, raw.file, raw.key, raw.columns);
}

// A single-row file is named after its key in `files`, its file after its path template.
function singleRowTable(raw: RawMapping, which: SingleRowFileName): TableSpec {
  return tableSpec(which, basename(raw.paths[which]), [], raw.files[which].columns);
}

function normalise(raw: RawMapping, source: string): Mapping {
  const files = SINGLE_ROW_FILES.map((which) => [which, singleRowTable(raw, which)]);
  const upload = UPLOAD_PARTS.map((part) => [part, exchangeTable(raw.upload[part])]);
  return {
    format: raw.format,
    version: raw.version,
    ...(raw.appVersions === undefined ? {} : { appVersions: { ...raw.appVersions } }),
    source,
    codec: { ...raw.codec },
    paths: { ...raw.paths },
    files: Object.fromEntries(files) as Mapping['files'],
    exportTables: raw.export.tables.map(exchangeTable),
    upload: Object.fromEntries(upload) as Mapping['upload'],
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function readMapping(file: string): Mapping {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = `cannot read the mapping file: ${(error as Error).message}`;
    throw new ExchangeFormatError({ file }, reason, { cause: error });
  }

  const result = mappingSchema.safeParse(raw);
  if (!result.success) {
    const { issues } = result.error;
    const shown = issues.slice(0, MAX_ISSUES_SHOWN)
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
    throw new ExchangeFormatError({ file }, `${shown.join('; ')}${more}`);
  }
  return deepFreeze(normalise(result.data, file));
}

const cache = new Map<string, Mapping>();

/**
 * Reads, validates and normalises a mapping file (cached per absolute path;
 * the result is frozen). Throws ExchangeFormatError naming the file and the
 * key, e.g. `.../1.00.yaml: export.tables.3.columns.2.type: Invalid option...`.
 */
export function loadMappingFile(path: string): Mapping {
  const file = resolve(path);
  let mapping = cache.get(file);
  if (mapping === undefined) {
    mapping = readMapping(file);
    cache.set(file, mapping);
  }
  return mapping;
}

/**
 * Loads `<folder>/<format>/<version>.yaml` (folder: MAPPINGS_FOLDER by
 * default). Throws ConfigError if format or version is not a plain name, and
 * ExchangeFormatError if the file is wrong or states another format or version.
 */
export function loadMapping(format: string, version: string, folder = MAPPINGS_FOLDER): Mapping {
  for (const [what, name] of [['format', format], ['version', version]] as const) {
    if (!FILE_NAME.test(name)) {
      throw new ConfigError(`mapping ${what} "${name}" is not a plain name (e.g. eStock, 1.00)`);
    }
  }

  const mapping = loadMappingFile(join(folder, format, `${version}.yaml`));
  if (mapping.format !== format || mapping.version !== version) {
    throw new ExchangeFormatError({ file: mapping.source },
      `the file says format ${mapping.format} version ${mapping.version}, ` +
      `but was loaded as ${format} ${version}; fix its format/version keys`);
  }
  return mapping;
}

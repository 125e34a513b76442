/**
 * The shape of a mapping file, as a zod schema: every key, its type, and the
 * rules that tie keys together (key columns are columns, names are unique,
 * the encoding exists...). mapping.ts reads files against it.
 */
import iconv from 'iconv-lite';
import { z } from 'zod';
import { compileDatePattern, DATE_TIME_TOKENS, DATE_TOKENS, type DateToken } from './date-format.ts';
import type { SingleRowFileName, UploadPart } from './types.ts';

/** A table or column name that is safe as a file or SQL name. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A plain file name: no folder, nothing Windows refuses. */
export const FILE_NAME = /^(?!\.\.?$)[^/\\:*?"<>|\r\n]+$/;

const NAME_RULE = 'must be letters, digits and "_" (not starting with a digit)';
const COLUMN_TYPES = ['text', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const;

/** The upload parts and single-row files, in the order the mapping lists them. */
export const UPLOAD_PARTS: readonly UploadPart[] = ['movements', 'lots', 'lotInformation'];
export const SINGLE_ROW_FILES: readonly SingleRowFileName[] = ['exportVersion', 'exportStatus', 'deviceVersion'];

function addIssue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function datePattern(required: readonly DateToken[]) {
  return z.string().superRefine((pattern, ctx) => {
    try {
      compileDatePattern(pattern, required);
    } catch (error) {
      addIssue(ctx, [], `${(error as Error).message} (tokens: ${required.join(' ')})`);
    }
  });
}

const fieldText = z.string().min(1)
  .refine((text) => !/["\r\n]/.test(text), 'must not hold a quote or a line break');

const encoding = z.string().superRefine((name, ctx) => {
  if (!iconv.encodingExists(name)) {
    addIssue(ctx, [], `${name} is not an encoding known to iconv-lite (e.g. windows-1252)`);
  }
});

const codecSchema = z.strictObject({
  separator: fieldText,
  lineEnding: z.enum(['\r\n', '\n', '\r'], 'must be "\\r\\n", "\\n" or "\\r"'),
  header: z.boolean(),
  encoding,
  decimalSeparator: z.enum(['.', ','], 'must be "." or ","'),
  dateFormat: datePattern(DATE_TOKENS),
  dateTimeFormat: datePattern(DATE_TIME_TOKENS),
  booleanTrue: fieldText,
  booleanFalse: fieldText,
}).superRefine((codec, ctx) => {
  if (codec.decimalSeparator === codec.separator) {
    addIssue(ctx, ['decimalSeparator'], 'must differ from the separator');
  }
  if (codec.booleanTrue === codec.booleanFalse) addIssue(ctx, ['booleanFalse'], 'must differ from booleanTrue');
});

const relativePath = z.string().refine((path) => !path.startsWith('/') && !path.includes('\\') &&
  path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
'must be a relative "/"-separated path without "." or ".." parts');
const devicePath = relativePath.refine((path) => path.includes('{device}'), 'must hold {device}');

const pathsSchema = z.strictObject({
  timestampFormat: datePattern(DATE_TIME_TOKENS),
  exportZip: devicePath,
  exportVersion: devicePath,
  exportStatus: devicePath,
  images: relativePath,
  movementUploads: devicePath,
  movementUpload: devicePath,
  deviceVersion: devicePath,
}).superRefine((paths, ctx) => {
  const name = paths.movementUpload.slice(paths.movementUploads.length + 1);
  if (!paths.movementUpload.startsWith(`${paths.movementUploads}/`) || name.includes('/')) {
    addIssue(ctx, ['movementUpload'], 'must be a file directly in movementUploads');
  } else if (name.split('{timestamp}').length !== 2 || name.includes('{device}')) {
    addIssue(ctx, ['movementUpload'], 'its file name must hold {timestamp} once, and not {device}');
  }
});

const columnSchema = z.strictObject({
  name: z.string().regex(NAME, NAME_RULE),
  type: z.enum(COLUMN_TYPES),
  length: z.int().positive().optional(),
  scale: z.int().min(0).max(9).optional(),
  required: z.boolean().default(false),
}).superRefine((column, ctx) => {
  if (column.length !== undefined && column.type !== 'text') {
    addIssue(ctx, ['length'], 'applies to text columns only');
  }
  if (column.scale !== undefined && column.type !== 'decimal') {
    addIssue(ctx, ['scale'], 'applies to decimal columns only');
  }
});

const columnsSchema = z.array(columnSchema).min(1).superRefine((columns, ctx) => {
  columns.forEach((column, index) => {
    if (columns.findIndex((other) => other.name === column.name) !== index) {
      addIssue(ctx, [index, 'name'], `${column.name} appears twice`);
    }
  });
});

const tableSchema = z.strictObject({
  name: z.string().regex(NAME, NAME_RULE),
  file: z.string().regex(FILE_NAME, 'must be a plain file name'),
  key: z.array(z.string()).min(1, 'needs at least one key column'),
  columns: columnsSchema,
}).superRefine((table, ctx) => {
  table.key.forEach((name, index) => {
    if (!table.columns.some((column) => column.name === name)) {
      addIssue(ctx, ['key', index], `${name} is not one of the columns`);
    } else if (table.key.indexOf(name) !== index) {
      addIssue(ctx, ['key', index], `${name} appears twice`);
    }
  });
});

// SQLite names and Windows file names ignore case: so does uniqueness.
function uniqueTables(tables: readonly { name: string; file: string }[], ctx: z.RefinementCtx,
  at: (index: number) => (string | number)[]): void {
  const same = (one: string, other: string) => one.toLowerCase() === other.toLowerCase();
  tables.forEach((table, index) => {
    if (tables.findIndex((other) => same(other.name, table.name)) !== index) {
      addIssue(ctx, [...at(index), 'name'], `table ${table.name} appears twice`);
    }
    if (tables.findIndex((other) => same(other.file, table.file)) !== index) {
      addIssue(ctx, [...at(index), 'file'], `file ${table.file} appears twice`);
    }
  });
}

const singleRowFile = z.strictObject({ columns: columnsSchema });

/** An app version as the mapping states it: numbers joined by dots, `2.1.0`. */
export const APP_VERSION_NUMBER = /^\d+(\.\d+){0,3}$/;

const versionNumber = z.string().regex(APP_VERSION_NUMBER, 'must be numbers joined by dots, e.g. "2.1.0"');

/** The numbers of a version written `2.1.0`, compared part by part, missing parts counting as 0. */
export function compareVersions(one: string, other: string): number {
  const a = one.split('.').map(Number);
  const b = other.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

const appVersionsSchema = z.strictObject({ min: versionNumber, below: versionNumber.optional() })
  .superRefine((range, ctx) => {
    if (range.below !== undefined && compareVersions(range.below, range.min) <= 0) {
      addIssue(ctx, ['below'], `must be above min (${range.min})`);
    }
  });

const uploadSchema = z.strictObject({ movements: tableSchema, lots: tableSchema, lotInformation: tableSchema })
  .superRefine((upload, ctx) => {
    uniqueTables(UPLOAD_PARTS.map((part) => upload[part]), ctx, (index) => [UPLOAD_PARTS[index]!]);
  });

/** A whole mapping file, before normalisation. */
export const mappingSchema = z.strictObject({
  format: z.string().min(1),
  version: z.string({ error: 'must be a string: quote it, e.g. "1.00"' }).min(1),
  appVersions: appVersionsSchema.optional(),
  codec: codecSchema,
  paths: pathsSchema,
  files: z.strictObject({
    exportVersion: singleRowFile,
    exportStatus: singleRowFile,
    deviceVersion: singleRowFile,
  }),
  export: z.strictObject({
    tables: z.array(tableSchema).min(1)
      .superRefine((tables, ctx) => uniqueTables(tables, ctx, (index) => [index])),
  }),
  upload: uploadSchema,
});

/** A mapping file as read, defaults applied. */
export type RawMapping = z.infer<typeof mappingSchema>;
/** A column as read. */
export type RawColumn = z.infer<typeof columnSchema>;
/** A table as read. */
export type RawTable = z.infer<typeof tableSchema>;

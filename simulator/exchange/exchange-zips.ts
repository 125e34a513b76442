/**
 * The two exchange zips as wholes: the export zip the BO drops for a device
 * (`<device>.zip`, one file per export table), and the movement upload the
 * device sends (`LotStockExported_<timestamp>.zip`: movements, lots, lot
 * information).
 */
import { ExchangeFormatError } from '../errors.ts';
import { logger } from '../log.ts';
import { decodeTable, decodeTableStrict, encodeTable } from './codec.ts';
import type { DecodedTable, Mapping, Row, TableSpec, UploadPart } from './types.ts';
import { TableChunkEncoder, type RowLines, type RowValues } from './table-chunks.ts';
import { readZip, writeZip, type ZipEntry } from './zip.ts';
import { createZipFile } from './zip-file.ts';

const log = logger('hil:exchange');

const UPLOAD_PARTS: readonly UploadPart[] = ['movements', 'lots', 'lotInformation'];

/** What a movement upload carries: rows of the mapping's upload tables. */
export interface UploadContent {
  movements: readonly Row[];
  lots: readonly Row[];
  lotInformation: readonly Row[];
}

/** A movement upload read leniently: per file, the good rows and the lines refused. */
export interface DecodedUpload {
  movements: DecodedTable;
  lots: DecodedTable;
  lotInformation: DecodedTable;
}

/**
 * The export zip: one file per export table, in mapping order; a table
 * missing from `tables` is written with its header only. The same input gives
 * byte-identical output. Throws ExchangeFormatError for a table name the
 * mapping does not know, or a row a column refuses (see encodeTable).
 */
export async function buildExportZip(mapping: Mapping,
  tables: ReadonlyMap<string, readonly Row[]>): Promise<Buffer> {
  const known = new Set(mapping.exportTables.map((table) => table.name));
  const unknown = [...tables.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ExchangeFormatError({ file: mapping.source },
      `no export table named ${unknown.join(', ')} in mapping ${mapping.format} ` +
      `${mapping.version}; the tables are ${[...known].join(', ')}`);
  }

  const entries = mapping.exportTables.map((table) => ({
    name: table.file,
    data: encodeTable(mapping, table, tables.get(table.name) ?? []),
  }));
  const zip = await writeZip(entries);
  const rowCount = [...tables.values()].reduce((sum, rows) => sum + rows.length, 0);
  log('export zip built: %d tables, %d rows, %d bytes', entries.length, rowCount, zip.length);
  return zip;
}

/** The rows of one export table, in key order (iterateRows gives them so): where a filter can go. */
export type ExportRowSource = (table: TableSpec) => Iterable<Row>;

/**
 * The rows of one export table as ExportRowSource gives them, each as its
 * values in column order (booleans as boolean): faster to read from a
 * database and to write, as no object is made of each row.
 */
export interface ExportValueSource {
  valuesOf(table: TableSpec): Iterable<RowValues>;
  /** The same rows as lines SQLite wrote (sql-lines.ts), when it can: faster still. */
  linesOf?(table: TableSpec): RowLines | undefined;
}

function chunksOf(encoder: TableChunkEncoder, source: ExportRowSource | ExportValueSource,
  table: TableSpec): Iterable<Buffer> {
  if (typeof source === 'function') return encoder.chunks(source(table));
  const lines = source.linesOf?.(table);
  return lines === undefined ? encoder.chunksOfValues(source.valuesOf(table)) : encoder.chunksOfLines(lines);
}

/** What writeExportZipFile wrote. */
export interface WrittenExportZip {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
}

/**
 * The export zip written into `file`, table by table in mapping order, each
 * table's rows taken one at a time from `source` (Row objects, or values in
 * column order) and encoded and compressed as they come: memory holds a few
 * chunks, whatever the size of the tables.
 * The bytes are buildExportZip's for the same rows. Throws
 * ExchangeFormatError as encodeTable, after removing the file.
 */
export async function writeExportZipFile(mapping: Mapping, source: ExportRowSource | ExportValueSource,
  file: string): Promise<WrittenExportZip> {
  const zip = await createZipFile(file);
  let rows = 0;
  try {
    for (const table of mapping.exportTables) {
      const encoder = new TableChunkEncoder(mapping, table);
      await zip.add(table.file, chunksOf(encoder, source, table));
      rows += encoder.rows;
    }
  } catch (error) {
    await zip.abort();
    throw error;
  }
  const bytes = await zip.close();
  log('export zip written to %s: %d tables, %d rows, %d bytes', file, mapping.exportTables.length, rows, bytes);
  return { file, bytes, tables: mapping.exportTables.length, rows };
}

function entryOf(entries: readonly ZipEntry[], table: TableSpec, source: string,
  what: string): ZipEntry {
  const entry = entries.find((candidate) => candidate.name === table.file);
  if (entry === undefined) {
    const held = entries.map((found) => found.name).join(', ') || 'nothing';
    throw new ExchangeFormatError({ file: `${source}/${table.file}` },
      `missing: the ${what} has no ${table.file} (table ${table.name}); it holds ${held}`);
  }
  return entry;
}

function logExtraFiles(entries: readonly ZipEntry[], tables: readonly TableSpec[], source: string) {
  const expected = new Set(tables.map((table) => table.file));
  for (const entry of entries) {
    if (!expected.has(entry.name)) log('%s: ignored %s, not a file of the mapping', source, entry.name);
  }
}

/**
 * Reads an export zip strictly (the device side): table name to rows, in
 * mapping order. Throws ZipError for a broken zip, ExchangeFormatError naming
 * `source/<file>` for a missing table file or the first bad line. Files the
 * mapping does not name are ignored (logged under hil:exchange).
 */
export async function readExportZip(mapping: Mapping, bytes: Buffer,
  source: string): Promise<Map<string, Row[]>> {
  const entries = await readZip(bytes, source);
  logExtraFiles(entries, mapping.exportTables, source);
  const tables = new Map<string, Row[]>();
  for (const table of mapping.exportTables) {
    const entry = entryOf(entries, table, source, 'export zip');
    const rows = decodeTableStrict(mapping, table, entry.data, `${source}/${table.file}`);
    tables.set(table.name, rows);
  }
  return tables;
}

/**
 * The movement upload zip: the movements, lots and lot information files, in
 * that order. Throws as encodeTable.
 */
export async function buildMovementUpload(mapping: Mapping, content: UploadContent): Promise<Buffer> {
  const entries = UPLOAD_PARTS.map((part) => ({
    name: mapping.upload[part].file,
    data: encodeTable(mapping, mapping.upload[part], content[part]),
  }));
  return writeZip(entries);
}

/**
 * Reads a movement upload leniently per line (the BO side): bad lines are
 * problems, good lines rows. Throws ZipError for a broken zip, and
 * ExchangeFormatError for a missing file or a file spoilt as a whole.
 */
export async function readMovementUpload(mapping: Mapping, bytes: Buffer,
  source: string): Promise<DecodedUpload> {
  const entries = await readZip(bytes, source);
  const tables = UPLOAD_PARTS.map((part) => mapping.upload[part]);
  logExtraFiles(entries, tables, source);
  const [movements, lots, lotInformation] = tables.map((table) => {
    const entry = entryOf(entries, table, source, 'movement upload');
    return decodeTable(mapping, table, entry.data, `${source}/${table.file}`);
  }) as [DecodedTable, DecodedTable, DecodedTable];
  return { movements, lots, lotInformation };
}

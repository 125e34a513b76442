/**
 * The shape of an exchange format, as a mapping file describes it, and of the
 * rows that travel in it. See docs/exchange-format.md for the files themselves.
 */

/** How a column's value is written in a table file. */
export type ColumnType = 'text' | 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean';

/** One column of a table file. */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** For text: the most characters a value may have. */
  length?: number;
  /** For decimal: digits written after the decimal separator. */
  scale?: number;
  /** Whether an empty value is refused. Key columns are always required. */
  required: boolean;
}

/** One table, written as one file (inside a zip, or beside it). */
export interface TableSpec {
  /** The table's name, e.g. `ARTICLE`. */
  name: string;
  /** The file name inside the zip, e.g. `ARTICLE.txt`. */
  file: string;
  /** Columns that identify a row. */
  key: string[];
  columns: ColumnSpec[];
}

/** How table files are written: the same for every file of a format. */
export interface CodecSpec {
  separator: string;
  lineEnding: string;
  /** Whether the first line names the columns. */
  header: boolean;
  /** A text encoding known to iconv-lite, e.g. `windows-1252`. */
  encoding: string;
  decimalSeparator: string;
  /** Tokens: DD, MM, YYYY, HH, mm, ss. */
  dateFormat: string;
  dateTimeFormat: string;
  booleanTrue: string;
  booleanFalse: string;
}

/**
 * Where the exchange files lie, from the company root of the FTP server.
 * `{device}` stands for the device id, `{timestamp}` for a time written in `timestampFormat`.
 */
export interface PathTemplates {
  timestampFormat: string;
  exportZip: string;
  exportVersion: string;
  exportStatus: string;
  images: string;
  movementUploads: string;
  movementUpload: string;
  deviceVersion: string;
}

/** The single-row files that travel beside the zips. */
export type SingleRowFileName = 'exportVersion' | 'exportStatus' | 'deviceVersion';

/** The three files of the device's upload zip. */
export type UploadPart = 'movements' | 'lots' | 'lotInformation';

/**
 * The app versions an exchange format version goes with: from `min`
 * included to `below` excluded (no upper bound when left out). Versions are
 * numbers joined by dots, compared number by number: `2.10.0` is above `2.9.1`.
 */
export interface AppVersionRange {
  min: string;
  below?: string;
}

/** A whole exchange format: one mapping file, validated. */
export interface Mapping {
  format: string;
  version: string;
  /** The app versions this format version goes with; undefined: the mapping does not say. */
  appVersions?: AppVersionRange;
  /** The file it was read from, for error messages. */
  source: string;
  codec: CodecSpec;
  paths: PathTemplates;
  files: Record<SingleRowFileName, TableSpec>;
  /** BO to device: the tables of `<device>.zip`, in file order. */
  exportTables: TableSpec[];
  /** Device to BO: the files of `LotStockExported_<timestamp>.zip`. */
  upload: Record<UploadPart, TableSpec>;
}

/**
 * A value in a row. text: string; integer and decimal: number; date:
 * `YYYY-MM-DD`; datetime: `YYYY-MM-DDTHH:mm:ss` (local time, no zone);
 * boolean: boolean; an empty value: null.
 */
export type Value = string | number | boolean | null;

/** A row: column name to value. */
export type Row = Record<string, Value>;

/** A line of a table file that could not be read, and why. */
export interface LineProblem {
  file: string;
  /** 1-based line number in the file, the header being line 1. */
  line: number;
  column?: string;
  reason: string;
}

/** A row with the line it was read from. */
export interface DecodedRow {
  line: number;
  row: Row;
}

/** A table file read leniently: the good rows, and the lines refused. */
export interface DecodedTable {
  rows: DecodedRow[];
  problems: LineProblem[];
}

/**
 * One LOTSTOCK row in plain words: the quantity of a lot at a place (depot and
 * location). The BO and the device each keep their stock this way.
 */
export interface StockLine {
  lot: string;
  article: string;
  depot: string;
  location: string;
  quantity: number;
}

/**
 * The exchange formats of the simulator: mappings, the table-file codec,
 * safe zips, FTP paths, the two exchange zips and their SQLite tables. Knows
 * nothing of FTP, the BO or the device.
 */
export * from './types.ts';
export { MAPPINGS_FOLDER, loadMapping, loadMappingFile } from './mapping.ts';
export { compareVersions } from './mapping-schema.ts';
export {
  decodeSingleRowFile, decodeTable, decodeTableStrict, encodeSingleRowFile, encodeTable,
} from './codec.ts';
export {
  DEFAULT_ZIP_LIMITS, extractZip, readZip, writeZip, type ZipEntry, type ZipLimits,
} from './zip.ts';
export {
  devicePaths, movementUploadName, parseMovementUploadName, type DevicePaths,
  isTemporaryUploadName, TEMPORARY_UPLOAD_SUFFIX, temporaryUploadName,
} from './paths.ts';
export {
  buildExportZip, buildMovementUpload, readExportZip, readMovementUpload, writeExportZipFile,
  type DecodedUpload, type ExportRowSource, type ExportValueSource, type UploadContent, type WrittenExportZip,
} from './exchange-zips.ts';
export {
  createTables, insertRows, iterateRowValues, iterateRows, keyIsUnique, openReadSnapshot, selectRows, tableLines,
} from './sqlite.ts';
export { TableChunkEncoder, type RowLines, type RowValues } from './table-chunks.ts';
export { lineExpression, vouchedLines } from './sql-lines.ts';
export {
  createZipFile, deflateChunks, deflateEntry, type DeflatedEntry, type DeflateSums, type ZipFileEntry,
  type ZipFileWriter,
} from './zip-file.ts';
export { localDate, localDateTime } from './date-format.ts';

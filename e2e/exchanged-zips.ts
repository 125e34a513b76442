/**
 * The zips a step moved over FTP, read from its transcript: downloads (RETR)
 * and uploads (STOR, or an upload under a temporary name renamed to the zip)
 * that the server completed. Paths are the FTP paths from the company root.
 */
import { posix } from 'node:path';
import type { TranscriptRecord } from '../simulator/ftp/server.ts';

/** A zip a step downloaded or uploaded. */
export interface ExchangedZip {
  direction: 'downloaded' | 'uploaded';
  /** Absolute FTP path from the company root: `/Sortant/eStock/Tab001/Tab001.zip`. */
  path: string;
  session: string;
}

const TRANSFER_DONE = 226;
const CWD_DONE = 250;

/** The zips completed in these records, each once, in the order they completed. */
export function exchangedZips(records: readonly TranscriptRecord[]): ExchangedZip[] {
  const cwd = new Map<string, string>();
  const zips: ExchangedZip[] = [];
  const add = (zip: ExchangedZip) => {
    if (zip.path.toLowerCase().endsWith('.zip') && !zips.some((known) => known.path === zip.path)) zips.push(zip);
  };

  for (const record of records) {
    const [verb = '', ...rest] = record.command.split(' ');
    const argument = rest.join(' ');
    const here = cwd.get(record.session) ?? '/';
    const path = posix.resolve(here, argument);
    switch (verb.toUpperCase()) {
      case 'CWD':
        if (record.reply === CWD_DONE) cwd.set(record.session, path);
        break;
      case 'CDUP':
        if (record.reply === CWD_DONE) cwd.set(record.session, posix.dirname(here));
        break;
      case 'RETR':
        if (record.reply === TRANSFER_DONE) add({ direction: 'downloaded', path, session: record.session });
        break;
      case 'STOR':
        if (record.reply === TRANSFER_DONE) add({ direction: 'uploaded', path, session: record.session });
        break;
      case 'RNTO':
        if (record.reply === CWD_DONE) add({ direction: 'uploaded', path, session: record.session });
        break;
    }
  }
  return zips;
}

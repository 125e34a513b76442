/**
 * What a report shows of one step, as attachments: the transcript of the FTP
 * sessions it opened, the files in each zip it moved, and the reports of the
 * BO and the device. Knows nothing of the report's format: the Allure glue
 * attaches what this gives.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TranscriptRecord } from '../simulator/ftp/server.ts';
import type { StepResult } from '../scenarios/runner/result.ts';
import { exchangedZips } from './exchanged-zips.ts';
import { firedFaultLines, formatTranscript } from './ftp-sessions.ts';
import { formatZipListing, listZip } from './zip-listing.ts';

/** One attachment: its name in the report, its content and its media type. */
export interface Evidence {
  name: string;
  content: string | Buffer;
  type: 'text/plain' | 'application/json' | 'application/xml' | 'image/png';
}

/** What a step left to show. */
export interface StepTrace {
  result: StepResult;
  /** The transcript records of the sessions opened during the step. */
  records: readonly TranscriptRecord[];
  /** The company's root folder on disk, where the zips the step moved lie. */
  companyRoot: string;
}

/**
 * The listing of a zip a step moved, or why there is none: gone from the
 * server, or not a zip (a bad upload a scenario pushes on purpose).
 */
async function zipContent(path: string, file: string): Promise<string> {
  if (!existsSync(file)) return `${path} is no longer on the server (moved or deleted after the transfer)`;
  try {
    return `${path}\n${formatZipListing(await listZip(file))}`;
  } catch (error) {
    return `${path} cannot be listed: ${(error as Error).message}`;
  }
}

/** The attachments of a step: transcript, zip listings, then the BO's or device's report. */
export async function stepEvidence({ result, records, companyRoot }: StepTrace): Promise<Evidence[]> {
  const evidence: Evidence[] = [];
  if (records.length > 0) {
    const whose = result.action.startsWith('device.') ? `${result.device}'s sessions` : 'the BO\'s sessions';
    evidence.push({ name: `FTP transcript (${whose})`, content: formatTranscript(records), type: 'text/plain' });
    const fired = firedFaultLines(records);
    if (fired.length > 0) {
      evidence.push({ name: `FTP faults fired (${fired.length})`, content: fired.join('\n'), type: 'text/plain' });
    }
  }
  for (const zip of exchangedZips(records)) {
    const name = `Files in ${basename(zip.path)} (${zip.direction})`;
    const file = join(companyRoot, ...zip.path.split('/'));
    evidence.push({ name, content: await zipContent(zip.path, file), type: 'text/plain' });
  }
  if (result.detail !== undefined) {
    const name = result.action === 'bo.import' ? 'BO import report' : `${result.action} report`;
    evidence.push({ name, content: JSON.stringify(result.detail, null, 2), type: 'application/json' });
  }
  return evidence;
}

/**
 * Transfers the device makes inside one FTP session, in memory: the files it
 * exchanges are small enough to hold, and nothing of the server's tree is
 * copied to the tablet's disk but what the app keeps in its store.
 */
import { Readable, Writable } from 'node:stream';
import { posix } from 'node:path';
import { FTPError, type Client } from 'basic-ftp';
import { FtpError } from '../errors.ts';

/** The reply code of "file unavailable": a file that is not there. */
export const FILE_UNAVAILABLE = 550;

/**
 * The session's home folder, where the server put us at login: the company
 * root. Paths of the mapping are relative to it.
 */
export async function companyRoot(client: Client): Promise<string> {
  return await client.pwd();
}

/** An absolute remote path from the company root and a '/'-separated relative path. */
export function remotePath(root: string, relative: string): string {
  return posix.join(root, relative);
}

/** Whether an FTP failure says the file is not there (550). */
export function isFileUnavailable(error: unknown): boolean {
  return error instanceof FTPError && error.code === FILE_UNAVAILABLE;
}

/** Downloads a remote file into memory. */
export async function downloadBuffer(client: Client, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collector = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await client.downloadTo(collector, path);
  return Buffer.concat(chunks);
}

/**
 * Downloads a remote file into memory, or undefined when it is not there.
 * Asks its SIZE first: servers differ in the reply to a RETR of a missing file
 * (ftp-srv: "551 ENOENT"), while SIZE says 550 plainly; the size also checks
 * that the whole file came. Throws FtpError if fewer or more bytes came.
 */
export async function downloadIfThere(client: Client, path: string): Promise<Buffer | undefined> {
  let size: number;
  try {
    size = await client.size(path);
  } catch (error) {
    if (isFileUnavailable(error)) return undefined;
    throw error;
  }
  const data = await downloadBuffer(client, path);
  if (data.length !== size) {
    throw new FtpError(`${path}: ${data.length} bytes downloaded, the server announced ${size}; ` +
      'the file may have been written meanwhile, receive again');
  }
  return data;
}

/** Uploads bytes to a remote file; resolves with the server's final reply code (226 for a complete one). */
export async function uploadBuffer(client: Client, data: Buffer, path: string): Promise<number> {
  return (await client.uploadFrom(Readable.from([data]), path)).code;
}

/**
 * Throws FtpError unless the server's reply to `what` is `expected`: another
 * positive reply (a 250 to a STOR) is not the confirmation the device waits for.
 */
export function expectReply(code: number, expected: number, what: string): void {
  if (code !== expected) {
    throw new FtpError(`${what}: the server replied ${code}, not ${expected}`, code);
  }
}

/** Creates a remote folder and its parents if missing, then goes back to `root`. */
export async function ensureFolder(client: Client, root: string, folder: string): Promise<void> {
  await client.ensureDir(remotePath(root, folder));
  await client.cd(root);
}

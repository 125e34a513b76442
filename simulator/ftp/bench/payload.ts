/**
 * The files the FTP benchmark transfers: a large file of random-looking bytes
 * made the same on every run, and the check that a transferred copy is whole,
 * so that a cut-short or corrupted transfer cannot pass as a fast one.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, statSync, writeSync } from 'node:fs';

/** A file on disk with what a whole copy of it must have. */
export interface Payload {
  file: string;
  bytes: number;
  /** SHA-256, hex. */
  sha256: string;
}

const CHUNK_BYTES = 1 << 20;
// A fixed key: the AES-256-CTR keystream gives incompressible bytes that are the same on every run,
// at the speed of AES, where a seeded JavaScript generator would take seconds for 200 MB.
const KEY = createHash('sha256').update('estock-hil ftp bench payload').digest();
const IV = Buffer.alloc(16);

/** Writes `bytes` bytes of the deterministic keystream to `file` and returns their hash. */
export function writePayload(file: string, bytes: number): Payload {
  const keystream = createCipheriv('aes-256-ctr', KEY, IV);
  const zeros = Buffer.alloc(CHUNK_BYTES);
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += CHUNK_BYTES) {
      const chunk = keystream.update(zeros.subarray(0, Math.min(CHUNK_BYTES, bytes - written)));
      hash.update(chunk);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return { file, bytes, sha256: hash.digest('hex') };
}

/** The first `bytes` bytes of the same keystream, in memory (for the small transfers). */
export function payloadBytes(bytes: number): Buffer {
  return createCipheriv('aes-256-ctr', KEY, IV).update(Buffer.alloc(bytes));
}

/** SHA-256 of a file, hex. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Throws when `copy` is not a whole copy of `payload` (size, then SHA-256);
 * `what` names the transfer in the message, e.g. `vsftpd plain upload`.
 */
export async function checkCopy(payload: Payload, copy: string, what: string): Promise<void> {
  const size = statSync(copy, { throwIfNoEntry: false })?.size;
  if (size !== payload.bytes) {
    throw new Error(`${what}: ${copy} has ${size ?? 'no'} bytes, expected ${payload.bytes}`);
  }
  const sha256 = await sha256OfFile(copy);
  if (sha256 !== payload.sha256) {
    throw new Error(`${what}: ${copy} has the right size but SHA-256 ${sha256}, expected ${payload.sha256}`);
  }
}

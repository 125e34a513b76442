/**
 * Streams between a file and a data connection. Node's own file streams
 * hold 16 KiB before they push back, so an upload waited for each chunk's
 * round trip through the thread pool before reading the socket again, at
 * half vsftpd's speed (docs/performance.md). The sink here holds 8 MiB and
 * writes whatever has gathered in one writev, so the socket is read while the
 * disk is written. The source reads 1 MiB at a time, synchronously: from the
 * page cache that takes less than the round trip would.
 */
import { close, closeSync, fsync, readSync, writev } from 'node:fs';
import { Readable, Writable } from 'node:stream';

/** How much a file source reads at a time. */
export const FILE_CHUNK_BYTES = 1024 * 1024;
/** How much a file sink holds, waiting for the disk, before it stops reading the socket. */
export const SINK_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Writes what it is given into an open file descriptor, from `position` on
 * (or at the end of the file, for a descriptor opened to append, when
 * `position` is null). Before `finish` the file is synced to disk; the
 * descriptor is closed when the stream ends or is destroyed.
 */
export class FileSink extends Writable {
  /** Bytes written so far. */
  written = 0;

  constructor(private readonly fd: number, private position: number | null) {
    super({ highWaterMark: SINK_BUFFER_BYTES });
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, done: (error?: Error | null) => void): void {
    this.writeAll(chunks.map(({ chunk }) => chunk), done);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.writeAll([chunk], done);
  }

  override _final(done: (error?: Error | null) => void): void {
    fsync(this.fd, (error) => done(error));
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    close(this.fd, () => done(error));
  }

  private writeAll(buffers: Buffer[], done: (error?: Error | null) => void): void {
    writev(this.fd, buffers, this.position, (error, count) => {
      if (error !== null) return done(error);
      this.written += count;
      if (this.position !== null) this.position += count;
      let rest = count;
      const pending = [...buffers];
      while (pending.length > 0 && rest >= pending[0]!.length) rest -= pending.shift()!.length;
      if (rest > 0) pending[0] = pending[0]!.subarray(rest);
      // writev may write less than asked (a signal, a disk about to be full): go on from there.
      if (pending.length > 0) this.writeAll(pending, done);
      else done();
    });
  }
}

/**
 * Reads an open file descriptor from `start` up to `size` (the file's size
 * when the transfer began), FILE_CHUNK_BYTES at a time; closes it when the
 * stream ends or is destroyed.
 */
export class FileSource extends Readable {
  /** Bytes read so far. */
  bytesRead = 0;
  private position: number;

  constructor(private readonly fd: number, start: number, private readonly size: number) {
    super({ highWaterMark: FILE_CHUNK_BYTES });
    this.position = start;
  }

  override _read(): void {
    try {
      const wanted = Math.min(FILE_CHUNK_BYTES, this.size - this.position);
      const buffer = Buffer.allocUnsafe(Math.max(wanted, 0));
      const count = wanted <= 0 ? 0 : readSync(this.fd, buffer, 0, wanted, this.position);
      this.position += count;
      this.bytesRead += count;
      if (count > 0) this.push(buffer.subarray(0, count));
      if (count === 0 || this.position >= this.size) this.push(null);
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing to release.
    }
    done(error);
  }
}

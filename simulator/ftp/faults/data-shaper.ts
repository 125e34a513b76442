/**
 * The stream that a faulty data connection's bytes go through, between the
 * file and the socket: it delays each chunk (latency, as a delay line: chunks
 * keep their order and the link stays full), paces them (a bandwidth cap),
 * stops them for a while or for good (a stall), and closes the connection at
 * a chosen byte (a cut). A stall or cut given as a share of the transfer
 * needs its size: a download knows it; for an upload the stream reads the
 * whole upload first, then lets that share of what arrived through and acts
 * there. The client has sent everything by then, so what it sees is the same:
 * no 226, and a server holding only part of the file.
 */
import { Duplex, type Writable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/**
 * How much may wait in the stream before it stops reading its source, in
 * bytes: the window of the simulated link. With latency L a transfer cannot
 * go faster than this much per L (8 MiB per 50 ms is 168 MB/s), as TCP's own
 * window limits a real one.
 */
export const SHAPER_QUEUE_BYTES = 8 * 1024 * 1024;
// A cap sends in slices of this many milliseconds' worth: fine enough to pace, coarse enough for the timers.
const SLICE_MS = 20;
const MIN_SLICE_BYTES = 512;

/** Where in the transfer a stall or cut acts: a byte, or a share of the whole (0 to 1). */
export type DataPosition = { bytes: number } | { share: number };

/** What happens to the bytes of one data connection. */
export interface ShapingPlan {
  /** The delay of the next chunk, ms (drawn again for each chunk, for jitter); none when absent. */
  delayMs?: () => number;
  /** The cap, in bytes per millisecond, asked again for each slice; none when it gives undefined. */
  bytesPerMs?: () => number | undefined;
  /** Holds the bytes at `at`; `withdrawn` aborted ends the stall, or spares the transfer from it. */
  stall?: { at: DataPosition; forMs?: number; withdrawn?: AbortSignal;
    onStall: (at: number, total: number | undefined) => void };
  /**
   * Closes the connection; the stream then fails with the error `onCut`
   * returns. With `withdrawn` aborted before the point, the bytes go on.
   */
  cut?: { at: DataPosition; withdrawn?: AbortSignal; onCut: (at: number, total: number | undefined) => Promise<Error> };
  /** The transfer ended, all `bytes` through, before the stall's or the cut's point. */
  onNotReached?: (what: 'stall' | 'cut', bytes: number) => void;
  /**
   * The stall's or the cut's fault was withdrawn: a stall that held the
   * bytes `heldMs` let them go, one not reached yet (heldMs undefined) and a cut never act.
   */
  onWithdrawn?: (what: 'stall' | 'cut', bytes: number, heldMs?: number) => void;
  /** The transfer's size when known (downloads), for the texts and for shares. */
  size?: number;
  /**
   * The stream the shaped bytes go into: before a cut, the stream waits
   * until it has taken them all, so that exactly the bytes before the cut get through.
   */
  destination?: Writable;
}

interface Queued {
  chunk: Buffer;
  arrivedAt: number;
}

/** Settles, failing, once `signal` is aborted. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, fail) => {
    if (signal.aborted) fail(signal.reason);
    else signal.addEventListener('abort', () => fail(signal.reason), { once: true });
  });
}

/** A duplex stream that lets bytes through as the plan says. */
export class DataShaper extends Duplex {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private received = 0;
  private position = 0;
  private lastAt = 0;
  private paceFreeAt = 0;
  private stallAt: number | undefined;
  private cutAt: number | undefined;
  private hasEnded = false;
  private isCut = false;
  private heldWrite: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private readWaiter: (() => void) | undefined;
  private finalDone: ((error?: Error | null) => void) | undefined;
  private readonly stop = new AbortController();
  private readonly needsWholeUpload: boolean;

  constructor(private readonly plan: ShapingPlan) {
    super();
    this.needsWholeUpload = plan.size === undefined && ('share' in (plan.stall?.at ?? {}) ||
      'share' in (plan.cut?.at ?? {}));
    this.resolvePositions(plan.size);
    void this.run();
  }

  /** Bytes let through so far. */
  get bytesThrough(): number {
    return this.position;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.isCut) return done();
    this.queue.push({ chunk, arrivedAt: performance.now() });
    this.queuedBytes += chunk.length;
    this.received += chunk.length;
    this.wakeUp();
    if (!this.needsWholeUpload && this.queuedBytes > SHAPER_QUEUE_BYTES) this.heldWrite = () => done();
    else done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.hasEnded = true;
    this.finalDone = done;
    this.wakeUp();
  }

  override _read(): void {
    const waiter = this.readWaiter;
    this.readWaiter = undefined;
    waiter?.();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.stop.abort();
    done(error);
  }

  private resolvePositions(total: number | undefined): void {
    const resolve = (at: DataPosition | undefined): number | undefined => {
      if (at === undefined) return undefined;
      if ('bytes' in at) return at.bytes;
      return total === undefined ? undefined : Math.floor(total * at.share);
    };
    this.stallAt = resolve(this.plan.stall?.at);
    this.cutAt = resolve(this.plan.cut?.at);
  }

  private async run(): Promise<void> {
    try {
      if (this.needsWholeUpload) {
        while (!this.hasEnded) await this.waitForWork();
        this.resolvePositions(this.received);
      }
      for (;;) {
        const item = this.queue.shift();
        if (item === undefined) {
          if (this.hasEnded) break;
          await this.waitForWork();
          continue;
        }
        this.queuedBytes -= item.chunk.length;
        if (this.queuedBytes <= SHAPER_QUEUE_BYTES) this.releaseWrite();
        if (!await this.deliver(item)) return;
      }
      if (this.cutAt === this.position && await this.cutHere()) return;
      if (this.stallAt !== undefined) this.plan.onNotReached?.('stall', this.position);
      if (this.cutAt !== undefined) this.plan.onNotReached?.('cut', this.position);
      // The last slice of a capped link takes its time too.
      const paced = this.paceFreeAt - performance.now();
      if (this.rate() !== undefined && paced >= 1) await sleep(paced, undefined, { signal: this.stop.signal });
      this.push(null);
      this.finalDone?.();
    } catch (error) {
      if (!this.stop.signal.aborted) this.destroy(error as Error);
    }
  }

  /** Lets one chunk through, in slices; false once the connection is cut. */
  private async deliver(item: Queued): Promise<boolean> {
    const delay = this.plan.delayMs?.() ?? 0;
    let rest = item.chunk;
    while (rest.length > 0) {
      if (this.stallAt === this.position) await this.stallHere();
      if (this.cutAt === this.position && await this.cutHere()) return false;
      const size = Math.min(rest.length, this.sliceBytes(), this.bytesToNextEvent());
      const at = this.timeFor(item.arrivedAt + delay, size);
      const wait = at - performance.now();
      if (wait >= 1) await sleep(wait, undefined, { signal: this.stop.signal });
      await this.pushSlice(rest.subarray(0, size));
      rest = rest.subarray(size);
    }
    return true;
  }

  private timeFor(earliest: number, size: number): number {
    let at = Math.max(earliest, this.lastAt);
    const rate = this.rate();
    if (rate !== undefined) {
      at = Math.max(at, this.paceFreeAt);
      this.paceFreeAt = at + size / rate;
    }
    this.lastAt = at;
    return at;
  }

  private rate(): number | undefined {
    return this.plan.bytesPerMs?.();
  }

  private sliceBytes(): number {
    const rate = this.rate();
    return rate === undefined ? Number.POSITIVE_INFINITY : Math.max(MIN_SLICE_BYTES, Math.floor(rate * SLICE_MS));
  }

  private bytesToNextEvent(): number {
    const ahead = [this.stallAt, this.cutAt].filter((at): at is number => at !== undefined && at > this.position);
    return ahead.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...ahead) - this.position;
  }

  private async pushSlice(slice: Buffer): Promise<void> {
    this.position += slice.length;
    if (this.push(slice)) return;
    await new Promise<void>((done) => (this.readWaiter = done));
  }

  private async stallHere(): Promise<void> {
    const stall = this.plan.stall!;
    this.stallAt = undefined;
    if (stall.withdrawn?.aborted === true) {
      this.plan.onWithdrawn?.('stall', this.position);
      return;
    }
    stall.onStall(this.position, this.plan.size ?? (this.needsWholeUpload ? this.received : undefined));
    const started = performance.now();
    const ends = AbortSignal.any([this.stop.signal, ...(stall.withdrawn === undefined ? [] : [stall.withdrawn])]);
    try {
      // For good is until the connection goes or the fault is withdrawn.
      await (stall.forMs === undefined ? aborted(ends) : sleep(stall.forMs, undefined, { signal: ends }));
    } catch (error) {
      if (this.stop.signal.aborted) throw error;
      this.plan.onWithdrawn?.('stall', this.position, Math.round(performance.now() - started));
    }
    // A paced link that stood still has no credit to catch up with.
    this.paceFreeAt += performance.now() - started;
    this.lastAt += performance.now() - started;
  }

  /** Waits for the bytes before the cut to be taken, then cuts; true once cut. */
  private async cutHere(): Promise<boolean> {
    const cut = this.plan.cut!;
    this.cutAt = undefined;
    if (cut.withdrawn?.aborted === true) {
      this.plan.onWithdrawn?.('cut', this.position);
      return false;
    }
    this.isCut = true;
    this.releaseWrite();
    const destination = this.plan.destination;
    while (this.readableLength > 0 || (destination?.writableLength ?? 0) > 0) {
      await nextTurn(undefined, { signal: this.stop.signal });
    }
    const total = this.plan.size ?? (this.needsWholeUpload ? this.received : undefined);
    this.destroy(await cut.onCut(this.position, total));
    return true;
  }

  private waitForWork(): Promise<void> {
    return new Promise((done) => (this.wake = done));
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private releaseWrite(): void {
    const held = this.heldWrite;
    this.heldWrite = undefined;
    held?.();
  }
}

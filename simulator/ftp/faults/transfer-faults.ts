/**
 * The faults of one transfer, decided as its data connection opens: how its
 * bytes are shaped (latency, bandwidth, stall, cut) and the reply it gets
 * after them.
 */
import type { CommandFaults, FaultReply, TransferOccasion } from './command-faults.ts';
import { DataShaper, type ShapingPlan } from './data-shaper.ts';
import type { Firing } from './fault-engine.ts';
import type { CloseKind } from './fault-schema.ts';
import { ratesOf } from './networks.ts';

/** The faults that fired as the transfer's data connection opened, and the continuous ones of its command. */
export interface TransferFirings {
  stall: Firing<'stall'> | undefined;
  cut: Firing<'cut'> | undefined;
  reply: Firing<'reply'> | undefined;
  latency: Firing<'latency'>[];
  bandwidth: Firing<'bandwidth'>[];
}

/** The faults of one transfer: how its bytes are shaped, and the reply it gets after them. */
export class TransferFaults {
  /** Why the transfer was cut by a fault; set once the cut is made. */
  cutReason: string | undefined;
  private readonly subject: string;

  constructor(private readonly command: CommandFaults, private readonly transfer: TransferOccasion,
    private readonly firings: TransferFirings) {
    const what = transfer.carries === 'listing' ? 'listing' : transfer.direction;
    this.subject = `${what} of ${transfer.path}`;
  }

  /**
   * The plan for the bytes, or undefined when nothing shapes them. `cut`
   * closes the data connection as the fault says; `destination` is where the
   * shaped bytes go (the socket of a download, the file of an upload).
   */
  plan(destination: ShapingPlan['destination'], cut: (kind: CloseKind) => Promise<void>): ShapingPlan | undefined {
    const { stall, cut: cutFiring, latency, bandwidth } = this.firings;
    const delayMs = this.delay(latency, bandwidth);
    const bytesPerMs = this.rate(bandwidth);
    if (stall === undefined && cutFiring === undefined && delayMs === undefined && bytesPerMs === undefined) {
      return undefined;
    }
    return {
      ...(this.transfer.size !== undefined && { size: this.transfer.size }),
      ...(destination !== undefined && { destination }),
      ...(delayMs !== undefined && { delayMs }),
      ...(bytesPerMs !== undefined && { bytesPerMs }),
      ...(stall !== undefined && { stall: this.stallPlan(stall) }),
      ...(cutFiring !== undefined && { cut: this.cutPlan(cutFiring, cut) }),
      onNotReached: (what, bytes) => {
        const firing = what === 'stall' ? stall : cutFiring;
        const text = `${this.subject} ended at ${bytes} bytes, before its ${what}`;
        if (firing !== undefined) this.command.record(firing, text);
      },
      onWithdrawn: (what, bytes, heldMs) => {
        const firing = what === 'stall' ? stall : cutFiring;
        const text = heldMs === undefined
          ? `${this.subject}: its ${what} at ${bytes} bytes withdrawn before it was reached`
          : `${this.subject}: stall at ${bytes} bytes released after ${heldMs} ms, its fault withdrawn`;
        if (firing !== undefined) this.command.record(firing, text);
      },
    };
  }

  /**
   * The stream the transfer's bytes go through, or undefined when no fault
   * shapes them; arguments as for plan().
   */
  shaper(destination: ShapingPlan['destination'], cut: (kind: CloseKind) => Promise<void>): DataShaper | undefined {
    const plan = this.plan(destination, cut);
    if (plan === undefined) return undefined;
    const shaper = new DataShaper(plan);
    this.command.noteShaped(this.subject, () => shaper.bytesThrough);
    return shaper;
  }

  /**
   * The reply the transfer gets once its data is through: 226 with `text`,
   * or the code of a reply fault `after-data`, recorded as fired.
   */
  finalReply(bytes: number, text: string): FaultReply {
    const firing = this.firings.reply;
    if (firing === undefined) return { code: 226, text };
    return this.command.replyOf(firing, `${this.subject}: all ${bytes} bytes carried, then answered`);
  }

  private stallPlan(firing: Firing<'stall'>): NonNullable<ShapingPlan['stall']> {
    const { afterBytes, afterPercent, forMs } = firing.body;
    return {
      at: afterPercent === undefined ? { bytes: afterBytes! } : { share: afterPercent / 100 },
      ...(forMs !== undefined && { forMs }),
      withdrawn: firing.withdrawn,
      onStall: (at, total) => void this.command.record(firing, `${this.subject} stalled at ${position(at, total)}` +
        `${forMs === undefined ? ' for good' : ` for ${forMs} ms`}`),
    };
  }

  private cutPlan(firing: Firing<'cut'>, cut: (kind: CloseKind) => Promise<void>): NonNullable<ShapingPlan['cut']> {
    const { atBytes, atPercent, close = 'abrupt' } = firing.body;
    return {
      at: atPercent === undefined ? { bytes: atBytes! } : { share: atPercent / 100 },
      withdrawn: firing.withdrawn,
      onCut: async (at, total) => {
        await cut(close);
        this.cutReason = `cut by a fault at ${position(at, total)}, ${CLOSE_TEXTS[close]}`;
        this.command.record(firing, `${this.subject} cut at ${position(at, total)}, ${CLOSE_TEXTS[close]}`);
        return new Error(this.cutReason);
      },
    };
  }

  /** Each chunk's delay, from the faults still in force: a withdrawn one no longer delays the transfer. */
  private delay(latency: Firing<'latency'>[], bandwidth: Firing<'bandwidth'>[]): (() => number) | undefined {
    if (latency.length === 0 && bandwidth.every(({ body }) => ratesOf(body).latencyMs === 0)) return undefined;
    return () => {
      let total = 0;
      for (const { body } of inForce(bandwidth)) total += ratesOf(body).latencyMs;
      for (const firing of inForce(latency)) {
        const jitterMs = firing.body.jitterMs ?? 0;
        total += Math.max(0, firing.body.ms + firing.draw(-jitterMs, jitterMs));
      }
      return total;
    };
  }

  /** The tightest cap still in force, asked again for each slice, in bytes per millisecond. */
  private rate(bandwidth: Firing<'bandwidth'>[]): (() => number | undefined) | undefined {
    const way = this.transfer.direction === 'upload' ? 'up' : 'down';
    const capOf = ({ body }: Firing<'bandwidth'>) => ratesOf(body)[way];
    if (bandwidth.every((firing) => capOf(firing) === undefined)) return undefined;
    return () => {
      const caps = inForce(bandwidth).map(capOf).filter((kbps): kbps is number => kbps !== undefined);
      // kbit/s to bytes per millisecond: 1000 bits / 8 / 1000 ms.
      return caps.length === 0 ? undefined : Math.min(...caps) / 8;
    };
  }
}

const CLOSE_TEXTS: Record<CloseKind, string> = {
  clean: 'clean close (TLS close_notify, then FIN)',
  abrupt: 'abrupt close (FIN without TLS close_notify)',
  reset: 'reset (TCP RST)',
};

function inForce<K extends 'latency' | 'bandwidth'>(firings: Firing<K>[]): Firing<K>[] {
  return firings.filter(({ withdrawn }) => !withdrawn.aborted);
}

function position(at: number, total: number | undefined): string {
  if (total === undefined || total === 0) return `${at} bytes`;
  return `${at} of ${total} bytes (${Math.round((at / total) * 100)}%)`;
}

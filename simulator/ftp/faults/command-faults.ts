/**
 * The faults of one session, as its commands meet them: which fire when a
 * command arrives (reset, a reply instead, latency and bandwidth for the
 * command and its data), when its data connection opens (stall, cut, a reply
 * after the data), and when the session goes idle. Every fault that fires is
 * reported at once (the server's `fault` event) and kept for the command's
 * transcript record.
 */
import type { FaultEngine, Firing } from './fault-engine.ts';
import type { CloseKind, FaultBody, FiredFault } from './fault-schema.ts';
import type { Occasion } from './matching.ts';
import { networkNamed } from './networks.ts';
import { DataShaper, type ShapingPlan } from './data-shaper.ts';
import { DEFAULT_REPLY_TEXTS } from './reply-texts.ts';

/** A reply a fault gives instead of the command's own. */
export interface FaultReply {
  code: number;
  text: string;
}

/** Who the session is, for the faults' selectors. */
export interface SessionIdentity {
  address: string;
  /** The FTP login, once logged in. */
  login: string | undefined;
}

/** The transfer a command is about to make. */
export interface TransferOccasion {
  direction: 'upload' | 'download';
  /** From the company root, without a leading `/`. */
  path: string;
  /** What the data connection carries: a file (RETR, STOR, APPE) or a listing. */
  carries: 'file' | 'listing';
  /** Bytes to send, when known (downloads and listings). */
  size?: number;
}

type Report = (fired: FiredFault) => void;

/** The faults of one session. */
export class SessionFaults {
  constructor(private readonly engine: FaultEngine | undefined, private readonly report: Report) {}

  /** The faults of a command as it arrives; `path` from the company root when it names one. */
  command(identity: SessionIdentity, verb: string, path: string | undefined): CommandFaults {
    const occasion: Occasion = {
      address: identity.address, verb,
      ...(identity.login !== undefined && { login: identity.login }),
      ...(path !== undefined && { path }),
    };
    return new CommandFaults(this.engine, occasion, this.report);
  }

  /** The shortest idle timeout a fault could end this session with, in ms; undefined when none. */
  idleTimeoutMs(identity: SessionIdentity): number | undefined {
    if (this.engine === undefined || this.engine.isEmpty) return undefined;
    const waits = this.engine.peek('idleTimeout', occasionOf(identity)).map(({ body }) => body.ms);
    return waits.length === 0 ? undefined : Math.min(...waits);
  }

  /** The idle timeout fault that fires after `idleMs` without a command, if one does. */
  fireIdle(identity: SessionIdentity, idleMs: number): FiredFault | undefined {
    const [firing] = this.engine?.fire('idleTimeout', occasionOf(identity), (body) => body.ms <= idleMs) ?? [];
    if (firing === undefined) return undefined;
    const fired = { fault: firing.fault, kind: firing.kind, text: `no command for ${firing.body.ms} ms: ` +
      'answered 421 and closed the session' };
    this.report(fired);
    return fired;
  }
}

/** The faults met by one command. */
export class CommandFaults {
  /** Every fault that fired for this command, in order. */
  readonly fired: FiredFault[] = [];
  /** The fault that resets the control connection before any reply. */
  readonly reset: FiredFault | undefined;
  /** The reply the command gets instead of being carried out. */
  readonly instead: FaultReply | undefined;
  /** Whether the session closes after the command's final reply (a 421 fault). */
  closesSession = false;
  private readonly latency: Firing<'latency'>[];
  private readonly bandwidth: Firing<'bandwidth'>[];
  private shaped: { subject: string; through: () => number; startedAt: number } | undefined;

  constructor(private readonly engine: FaultEngine | undefined, private readonly occasion: Occasion,
    private readonly report: Report) {
    const none = engine === undefined || engine.isEmpty;
    const command = `${occasion.verb}${occasion.path === undefined ? '' : ` ${occasion.path}`}`;
    const [reset] = none ? [] : engine.fire('reset', occasion);
    this.reset = reset && this.record(reset, `control connection reset (TCP RST) on ${command}, before any reply`);
    const [instead] = none || reset ? [] : engine.fire('reply', occasion, (body) => body.when !== 'after-data');
    this.instead = instead && this.replyOf(instead, `${command} not carried out: answered`);
    this.latency = none ? [] : engine.fire('latency', occasion);
    // A cap of our own rates shapes data only; a named network's latency shapes every command.
    this.bandwidth = none ? [] : engine.fire('bandwidth', occasion, (body) =>
      body.network !== undefined || DATA_VERBS.has(occasion.verb ?? ''));
  }

  /** How long the command waits before it is carried out: the latency of its command and its reply, in ms. */
  controlDelayMs(): number {
    let total = 0;
    for (const firing of this.latency) {
      const { ms, jitterMs = 0, direction = 'both' } = firing.body;
      total += (direction === 'both' ? 2 : 1) * Math.max(0, ms + firing.draw(-jitterMs, jitterMs));
    }
    for (const { body } of this.bandwidth) total += 2 * ratesOf(body).latencyMs;
    return total;
  }

  /** The faults of the command's transfer, as its data connection opens. */
  transfer(transfer: TransferOccasion): TransferFaults {
    const occasion = { ...this.occasion, path: transfer.path, direction: transfer.direction };
    const none = this.engine === undefined || this.engine.isEmpty;
    const fire = <K extends 'stall' | 'cut' | 'reply'>(kind: K, applies?: (body: FaultBody<K>) => boolean) =>
      (none ? [] : this.engine!.fire(kind, occasion, applies))[0];
    return new TransferFaults(this, transfer, {
      stall: fire('stall'),
      cut: fire('cut'),
      reply: fire('reply', (body) => body.when === 'after-data'),
      latency: this.latency.filter(({ body }) => body.direction !== opposite(transfer.direction)),
      bandwidth: this.bandwidth,
    });
  }

  /** Records the continuous faults that shaped the command, once each, when it has had its final reply. */
  finish(): void {
    const shaped = this.shaped;
    const { verb, path } = this.occasion;
    const on = shaped?.subject ?? `${verb}${path === undefined ? '' : ` ${path}`}`;
    const carried = shaped === undefined ? '' : `; ${shaped.through()} bytes in ` +
      `${Math.round(performance.now() - shaped.startedAt)} ms`;
    for (const firing of this.latency) {
      const { ms, jitterMs, direction = 'both' } = firing.body;
      const jitter = jitterMs === undefined ? '' : ` (± up to ${jitterMs} ms)`;
      this.record(firing, `${on}: ${ms} ms${jitter} of latency, ${direction === 'both' ? 'each way' : direction}` +
        carried);
    }
    for (const firing of this.bandwidth) {
      const { up, down, latencyMs, name } = ratesOf(firing.body);
      const rates = [down && `${down} kbit/s down`, up && `${up} kbit/s up`].filter(Boolean).join(', ');
      this.record(firing, `${on}: capped at ${rates}${name === undefined ? '' : ` (${name}, ${latencyMs} ms ` +
        'of latency each way)'}${carried}`);
    }
  }

  /** @internal A transfer of this command has started to be shaped. */
  noteShaped(subject: string, through: () => number): void {
    this.shaped = { subject, through, startedAt: performance.now() };
  }

  /** Keeps and reports a fault that fired; returns what was recorded. */
  record(firing: { fault: number; kind: FiredFault['kind'] }, text: string): FiredFault {
    const fired = { fault: firing.fault, kind: firing.kind, text };
    this.fired.push(fired);
    this.report(fired);
    return fired;
  }

  /** A reply fault's reply, recorded with `what` before its code. */
  replyOf(firing: Firing<'reply'>, what: string): FaultReply {
    const { code, text = DEFAULT_REPLY_TEXTS[code] ?? 'Fault' } = firing.body;
    if (code === 421) this.closesSession = true;
    this.record(firing, `${what} ${code}${code === 421 ? ', session closed' : ''}`);
    return { code, text };
  }
}

interface TransferFirings {
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

  /** The reply the transfer gets once its data is through, instead of 226; recorded when asked. */
  afterData(bytes: number): FaultReply | undefined {
    const firing = this.firings.reply;
    if (firing === undefined) return undefined;
    return this.command.replyOf(firing, `${this.subject}: all ${bytes} bytes carried, then answered`);
  }

  private stallPlan(firing: Firing<'stall'>): NonNullable<ShapingPlan['stall']> {
    const { afterBytes, afterPercent, forMs } = firing.body;
    return {
      at: afterPercent === undefined ? { bytes: afterBytes! } : { share: afterPercent / 100 },
      ...(forMs !== undefined && { forMs }),
      onStall: (at, total) => void this.command.record(firing, `${this.subject} stalled at ${position(at, total)}` +
        `${forMs === undefined ? ' for good' : ` for ${forMs} ms`}`),
    };
  }

  private cutPlan(firing: Firing<'cut'>, cut: (kind: CloseKind) => Promise<void>): NonNullable<ShapingPlan['cut']> {
    const { atBytes, atPercent, close = 'abrupt' } = firing.body;
    return {
      at: atPercent === undefined ? { bytes: atBytes! } : { share: atPercent / 100 },
      onCut: async (at, total) => {
        await cut(close);
        this.cutReason = `cut by a fault at ${position(at, total)}, ${CLOSE_TEXTS[close]}`;
        this.command.record(firing, `${this.subject} cut at ${position(at, total)}, ${CLOSE_TEXTS[close]}`);
        return new Error(this.cutReason);
      },
    };
  }

  private delay(latency: Firing<'latency'>[], bandwidth: Firing<'bandwidth'>[]): (() => number) | undefined {
    const networkMs = bandwidth.reduce((sum, { body }) => sum + ratesOf(body).latencyMs, 0);
    if (latency.length === 0 && networkMs === 0) return undefined;
    return () => latency.reduce((sum, firing) => {
      const jitterMs = firing.body.jitterMs ?? 0;
      return sum + Math.max(0, firing.body.ms + firing.draw(-jitterMs, jitterMs));
    }, networkMs);
  }

  private rate(bandwidth: Firing<'bandwidth'>[]): number | undefined {
    const caps = bandwidth.map(({ body }) => ratesOf(body)[this.transfer.direction === 'upload' ? 'up' : 'down'])
      .filter((kbps): kbps is number => kbps !== undefined);
    // kbit/s to bytes per millisecond: 1000 bits / 8 / 1000 ms.
    return caps.length === 0 ? undefined : Math.min(...caps) / 8;
  }
}

/** The commands that may use a data connection. */
const DATA_VERBS: ReadonlySet<string> = new Set(['RETR', 'STOR', 'APPE', 'STOU', 'LIST', 'NLST', 'MLSD']);

const CLOSE_TEXTS: Record<CloseKind, string> = {
  clean: 'clean close (TLS close_notify, then FIN)',
  abrupt: 'abrupt close (FIN without TLS close_notify)',
  reset: 'reset (TCP RST)',
};

function position(at: number, total: number | undefined): string {
  if (total === undefined || total === 0) return `${at} bytes`;
  return `${at} of ${total} bytes (${Math.round((at / total) * 100)}%)`;
}

function occasionOf(identity: SessionIdentity): Occasion {
  return { address: identity.address, ...(identity.login !== undefined && { login: identity.login }) };
}

function opposite(direction: 'upload' | 'download'): 'upload' | 'download' {
  return direction === 'upload' ? 'download' : 'upload';
}

/** The rates of a bandwidth fault, kbit/s, its own or its network's, and the network's latency. */
function ratesOf(body: FaultBody<'bandwidth'>): { up?: number; down?: number; latencyMs: number; name?: string } {
  const network = body.network === undefined ? undefined : networkNamed(body.network);
  const up = body.upKbps ?? network?.upKbps;
  const down = body.downKbps ?? network?.downKbps;
  return {
    ...(up !== undefined && { up }),
    ...(down !== undefined && { down }),
    latencyMs: network?.latencyMs ?? 0,
    ...(body.network !== undefined && { name: body.network }),
  };
}

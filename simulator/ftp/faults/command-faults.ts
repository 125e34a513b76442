/**
 * The faults of one session, as its commands meet them: which fire when a
 * command arrives (reset, a reply instead, latency and bandwidth for the
 * command and its data), when its data connection opens (stall, cut, a reply
 * after the data), and when the session goes idle. Every fault that fires is
 * reported at once (the server's `fault` event) and kept for the command's
 * transcript record.
 */
import type { FaultEngine, Firing } from './fault-engine.ts';
import type { FaultBody, FiredFault } from './fault-schema.ts';
import type { Occasion } from './matching.ts';
import { opposite, ratesOf } from './networks.ts';
import { DEFAULT_REPLY_TEXTS } from './reply-texts.ts';
import { TransferFaults } from './transfer-faults.ts';

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
  /** Whether the session has named itself as the simulated back office with CLNT. */
  fromBackOffice: boolean;
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
    const occasion: Occasion = { ...occasionOf(identity), verb, ...(path !== undefined && { path }) };
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
    // The company root is the empty path: `NLST /`.
    const command = `${occasion.verb}${occasion.path === undefined ? '' : ` ${occasion.path || '/'}`}`;
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

/** The commands that may use a data connection. */
const DATA_VERBS: ReadonlySet<string> = new Set(['RETR', 'STOR', 'APPE', 'STOU', 'LIST', 'NLST', 'MLSD']);

function occasionOf(identity: SessionIdentity): Occasion {
  return { address: identity.address, fromBackOffice: identity.fromBackOffice,
    ...(identity.login !== undefined && { login: identity.login }) };
}

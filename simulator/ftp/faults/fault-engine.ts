/**
 * The faults in force on one server and the decisions they lead to. The
 * protocol layer asks it, at each occasion (a command, a data transfer, a
 * session going idle), which faults fire; every fault that fires is told to
 * the session's transcript by the caller.
 *
 * A fault counts the occasions its selector matches since it was set; it
 * fires first at its `occurrence`th (default 1), at most `times` times
 * (default 1, or `always`), each time with probability `chance` drawn from
 * its own generator, seeded from the fault set's seed and its place in the
 * set: the same seed gives the same firings, and adding a fault changes no
 * other fault's draws. Latency and bandwidth are continuous: they shape every
 * matching command and transfer from their occurrence on, whatever `times`.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { FaultControl, FaultInForce } from './control.ts';
import { faultKind, type FaultBody, type FaultKind, type FaultSet, type FaultSpec } from './fault-schema.ts';
import { CompiledSelector, type Occasion, type Selector } from './matching.ts';

const DEFAULT_SEED = 1;
const CONTINUOUS_KINDS: ReadonlySet<FaultKind> = new Set(['latency', 'bandwidth']);
// Chances are drawn to the millionth.
const CHANCE_STEPS = 1_000_000;

/** A fault that fires at an occasion: its place in the set, its body, and its own random draws. */
export interface Firing<K extends FaultKind> {
  fault: number;
  kind: K;
  body: FaultBody<K>;
  /** An integer from `min` to `max`, both included, from the fault's generator (latency jitter). */
  draw(min: number, max: number): number;
  /**
   * Aborted when the fault leaves the set (the set is replaced or cleared):
   * a stall it holds ends, the latency and cap it puts on a transfer lift.
   */
  withdrawn: AbortSignal;
}

interface Entry extends FaultInForce {
  kind: FaultKind;
  selector: CompiledSelector;
  /** Matching occasions seen since the fault was set. */
  seen: number;
  random: RandomGenerator;
  withdrawal: AbortController;
}

/** The faults of a server, set and cleared at run time. */
export class FaultEngine implements FaultControl {
  private seed = DEFAULT_SEED;
  private entries: Entry[] = [];

  constructor(initial?: FaultSet) {
    if (initial !== undefined) this.set(initial);
  }

  set(set: FaultSet): void {
    this.seed = set.seed ?? DEFAULT_SEED;
    this.clear();
    this.add(set.faults);
  }

  add(faults: readonly FaultSpec[]): void {
    for (const spec of faults) this.entries.push(this.entry(this.entries.length + 1, spec));
  }

  clear(): void {
    for (const entry of this.entries) entry.withdrawal.abort();
    this.entries = [];
  }

  current(): { seed: number; faults: FaultInForce[] } {
    return { seed: this.seed, faults: this.entries.map(({ fault, spec, fired }) => ({ fault, spec, fired })) };
  }

  /** Whether any fault is in force: without any, sessions skip every check. */
  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * The faults of `kind` that fire at `occasion`, in their order in the set,
   * among those whose body `applies` there (a reply fault's `when`). Each
   * matching one counts the occasion; each that fires counts the firing.
   */
  fire<K extends FaultKind>(kind: K, occasion: Occasion,
    applies: (body: FaultBody<K>) => boolean = () => true): Firing<K>[] {
    const firings: Firing<K>[] = [];
    for (const entry of this.entries) {
      if (entry.kind !== kind || !entry.selector.matches(occasion) || !applies(bodyOf(entry.spec, kind))) continue;
      entry.seen += 1;
      if (!this.fires(entry)) continue;
      entry.fired += 1;
      const random = entry.random;
      firings.push({
        fault: entry.fault, kind, body: bodyOf(entry.spec, kind),
        draw: (min, max) => uniformInt(random, min, max),
        withdrawn: entry.withdrawal.signal,
      });
    }
    return firings;
  }

  /**
   * The bodies of the faults of `kind` that match `occasion` and could still
   * fire, without counting anything: to arm a timer whose expiry is the occasion.
   */
  peek<K extends FaultKind>(kind: K, occasion: Occasion): { fault: number; body: FaultBody<K> }[] {
    return this.entries
      .filter((entry) => entry.kind === kind && entry.selector.matches(occasion) && !this.isSpent(entry))
      .map((entry) => ({ fault: entry.fault, body: bodyOf(entry.spec, kind) }));
  }

  private fires(entry: Entry): boolean {
    const body = commonFields(entry.spec);
    if (entry.seen < (body.occurrence ?? 1) || this.isSpent(entry)) return false;
    // The draw is made at every occasion that could fire, so that the sequence depends on the occasions only.
    return body.chance === undefined || uniformInt(entry.random, 0, CHANCE_STEPS - 1) < body.chance * CHANCE_STEPS;
  }

  private isSpent(entry: Entry): boolean {
    if (CONTINUOUS_KINDS.has(entry.kind)) return false;
    const times = commonFields(entry.spec).times ?? 1;
    return times !== 'always' && entry.fired >= times;
  }

  private entry(fault: number, spec: FaultSpec): Entry {
    const kind = faultKind(spec);
    const body = commonFields(spec);
    // Mixing the place in with a large odd constant keeps the generators of neighbouring faults apart.
    const random = xoroshiro128plus((this.seed ^ Math.imul(fault, 0x9e3779b1)) | 0);
    return {
      fault, spec, fired: 0, kind, selector: new CompiledSelector(body), seen: 0, random,
      withdrawal: new AbortController(),
    };
  }
}

/** The fields that every kind of fault may have. */
interface CommonFields extends Selector {
  occurrence?: number | undefined;
  times?: number | 'always' | undefined;
  chance?: number | undefined;
}

function bodyOf<K extends FaultKind>(spec: FaultSpec, kind: K): FaultBody<K> {
  return (spec as unknown as Record<K, FaultBody<K>>)[kind];
}

function commonFields(spec: FaultSpec): CommonFields {
  return Object.values(spec)[0] as CommonFields;
}

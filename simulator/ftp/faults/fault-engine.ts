/**
 * The faults in force on one server and the decisions they lead to. The
 * protocol layer asks it, at each occasion (a session opening, a command, a
 * chunk of data), whether a fault fires; every fault that fires is told to
 * the session's transcript.
 */
import type { FaultControl, FaultInForce } from './control.ts';
import type { FaultSet, FaultSpec } from './fault-schema.ts';

const DEFAULT_SEED = 1;

/** The faults of a server, set and cleared at run time. */
export class FaultEngine implements FaultControl {
  private seed = DEFAULT_SEED;
  private faults: FaultInForce[] = [];

  constructor(initial?: FaultSet) {
    if (initial !== undefined) this.set(initial);
  }

  set(set: FaultSet): void {
    this.seed = set.seed ?? DEFAULT_SEED;
    this.faults = set.faults.map((spec, index) => ({ fault: index + 1, spec, fired: 0 }));
  }

  add(faults: readonly FaultSpec[]): void {
    const from = this.faults.length;
    this.faults.push(...faults.map((spec, index) => ({ fault: from + index + 1, spec, fired: 0 })));
  }

  clear(): void {
    this.faults = [];
  }

  current(): { seed: number; faults: FaultInForce[] } {
    return { seed: this.seed, faults: this.faults.map((entry) => ({ ...entry })) };
  }
}

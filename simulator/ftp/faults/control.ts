/**
 * What the server offers to change its faults and its profile while it runs:
 * scenario steps, `estock-hil run`'s options and `estock-hil faults` against
 * a running `serve` all go through these two.
 */
import type { ServerProfile } from '../profiles/profile-schema.ts';
import type { FaultSet, FaultSpec } from './fault-schema.ts';

/** One fault in force and how many times it has fired since it was set. */
export interface FaultInForce {
  /** Its place in the fault set, from 1. */
  fault: number;
  spec: FaultSpec;
  fired: number;
}

/** The faults in force on a server. */
export interface FaultControl {
  /**
   * Replaces the faults in force; occasions are counted again from zero. The
   * faults replaced let go of the transfers they hold, as on clear().
   */
  set(set: FaultSet): void;
  /** Adds faults after those in force, keeping the seed. */
  add(faults: readonly FaultSpec[]): void;
  /**
   * Removes every fault; sessions go on unhindered from their next chunk or
   * command, and a transfer held by a stall goes on at once.
   */
  clear(): void;
  /** The seed and the faults in force, with how often each fired. */
  current(): { seed: number; faults: FaultInForce[] };
}

/** The server profile in force: none is our own server's behaviour. */
export interface ProfileControl {
  /** Sets (or, with undefined, removes) the profile; new sessions and commands follow it. */
  set(profile: ServerProfile | undefined): void;
  current(): ServerProfile | undefined;
}

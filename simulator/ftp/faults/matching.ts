/**
 * Whether a fault's selector fields (side, verb, path, login, address,
 * direction) match an occasion: a command, a data transfer, a session going idle.
 */
import picomatch from 'picomatch';
import { plainAddress } from '../protocol/data-channel.ts';
import type { Side } from './fault-schema.ts';

/** Something that happens in a session, which faults may fire at. */
export interface Occasion {
  /** The client's address, as the control connection sees it. */
  address: string;
  /** Whether the session has named itself as the simulated back office (CLNT, client-name.ts). */
  fromBackOffice: boolean;
  /** The session's login, once logged in. */
  login?: string;
  /** The command's verb, upper case. */
  verb?: string;
  /** The command's path from the company root, without a leading `/`, when it names one. */
  path?: string;
  /** Which way a transfer's bytes go; absent on the control connection, where both ways are used. */
  direction?: 'upload' | 'download';
}

/** The selector fields every fault may have. */
export interface Selector {
  side?: Side | undefined;
  verb?: string | undefined;
  path?: string | undefined;
  login?: string | undefined;
  address?: string | undefined;
  direction?: 'upload' | 'download' | 'both' | undefined;
}

/** A selector compiled once: its path glob as a matcher. */
export class CompiledSelector {
  private readonly pathMatches: ((path: string) => boolean) | undefined;

  constructor(private readonly selector: Selector) {
    // `dot`: a file name the device starts with a dot (a temporary upload) is a file like any other.
    this.pathMatches = selector.path === undefined ? undefined : picomatch(selector.path, { dot: true });
  }

  /** Whether every field given matches the occasion; a field the occasion lacks does not match. */
  matches(occasion: Occasion): boolean {
    const { side = 'device', verb, login, address, direction } = this.selector;
    if (side !== 'any' && (side === 'back-office') !== occasion.fromBackOffice) return false;
    if (verb !== undefined && verb !== occasion.verb) return false;
    if (login !== undefined && login !== occasion.login) return false;
    if (address !== undefined && plainAddress(address) !== plainAddress(occasion.address)) return false;
    if (this.pathMatches !== undefined && (occasion.path === undefined || !this.pathMatches(occasion.path))) {
      return false;
    }
    return direction === undefined || direction === 'both' || occasion.direction === undefined ||
      direction === occasion.direction;
  }
}

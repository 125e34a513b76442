/**
 * The server profile in force on one server, changed at run time. The
 * protocol layer reads it at each occasion (a greeting, a listing, a PASV
 * reply), so a change takes effect from the next one.
 */
import type { ProfileControl } from '../faults/control.ts';
import type { ServerProfile } from './profile-schema.ts';

/** Holds the profile of a server; none means our own server's behaviour. */
export class ProfileHolder implements ProfileControl {
  private profile: ServerProfile | undefined;

  constructor(initial?: ServerProfile) {
    this.profile = initial;
  }

  set(profile: ServerProfile | undefined): void {
    this.profile = profile;
  }

  current(): ServerProfile | undefined {
    return this.profile;
  }
}

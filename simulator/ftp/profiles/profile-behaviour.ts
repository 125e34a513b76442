/**
 * What a server profile changes in the replies of our FTP server, decided
 * here so that the protocol layer only asks: the greeting, SYST, FEAT, the
 * verbs a customer server does not offer, the connection limit per address
 * and the TLS session reuse check. Without a profile, each answer is our
 * own server's.
 */
import type { TLSSocket } from 'node:tls';
import type { ServerProfile } from './profile-schema.ts';

/** Our own greeting, without a profile. */
export const OUR_GREETING = 'estock-hil FTP server ready';
/** Our own SYST reply, without a profile. */
export const OUR_SYSTEM = 'UNIX Type: L8';

/** A reply a profile gives instead of our own, and why, for the transcript. */
export interface ProfileReply {
  code: number;
  text: string;
  /** What the profile did, in words, for the transcript's `profile` field: `vsftpd: ...`. */
  why: string;
}

/** The lines of the 220 greeting: the profile's (a line break in it makes a multi-line reply) or ours. */
export function greetingLines(profile: ServerProfile | undefined): string[] {
  return (profile?.greeting ?? OUR_GREETING).split(/\r?\n/);
}

/** The text of the 215 reply to SYST. */
export function systemName(profile: ServerProfile | undefined): string {
  return profile?.system ?? OUR_SYSTEM;
}

/** Whether the profile offers the machine listings MLSD and MLST (and MLST in FEAT). */
export function offersMachineListing(profile: ServerProfile | undefined): boolean {
  return profile?.machineListing ?? true;
}

/** Whether the profile offers EPSV (and EPSV in FEAT). */
export function offersEpsv(profile: ServerProfile | undefined): boolean {
  return profile?.epsv ?? true;
}

/** Whether names go in UTF-8 (UTF8 in FEAT, OPTS UTF8 ON accepted). */
export function offersUtf8(profile: ServerProfile | undefined): boolean {
  return (profile?.nameEncoding ?? 'utf-8') === 'utf-8';
}

/**
 * The refusal of a verb the profile's server does not offer: 500, as a
 * server that does not know the command answers it. Undefined when offered.
 *
 * No profile refuses CLNT, not even one whose real server may not know it:
 * CLNT is how the simulated back office tells our server which sessions are
 * its own, and the app under test sends none. Refusing it would change
 * nothing a tablet sees, but would put the faults meant for the tablets on
 * the back office again. FEAT lists it under every profile for the same reason.
 */
export function verbRefusal(profile: ServerProfile | undefined, verb: string): ProfileReply | undefined {
  if (profile === undefined) return undefined;
  const refused = (['MLSD', 'MLST'].includes(verb) && !offersMachineListing(profile)) ||
    (verb === 'EPSV' && !offersEpsv(profile));
  if (!refused) return undefined;
  return { code: 500, text: `'${verb}': command not understood`, why: `${profile.name}: ${verb} not offered` };
}

/**
 * The 421 for a control connection past the profile's limit per client
 * address, or undefined. `openFromAddress` counts the sessions of that
 * address already open, without this one.
 */
export function connectionRefusal(profile: ServerProfile | undefined, openFromAddress: number)
  : ProfileReply | undefined {
  const limit = profile?.maxConnectionsPerAddress;
  if (limit === undefined || openFromAddress < limit) return undefined;
  return {
    code: 421,
    text: `Too many connections from your address (at most ${limit})`,
    why: `${profile!.name}: ${openFromAddress} sessions already open from this address, at most ${limit}`,
  };
}

/**
 * The refusal of a data connection under TLS that did not resume a TLS
 * session, when the profile insists on it, or undefined. Each control session
 * has ticket keys and a store of session ids of its own (tls-certificate.ts),
 * so a resumed session is one that this control session's connections began.
 */
export function tlsReuseRefusal(profile: ServerProfile | undefined, data: TLSSocket): ProfileReply | undefined {
  const reuse = profile?.tlsSessionReuse;
  if (reuse === undefined || data.isSessionReused()) return undefined;
  return {
    code: reuse.reply,
    text: reuse.text ?? 'TLS session of the data connection not resumed',
    why: `${profile!.name}: the data connection did not resume the control connection's TLS session ` +
      `(${data.getProtocol() ?? 'TLS'} full handshake); data connection closed`,
  };
}

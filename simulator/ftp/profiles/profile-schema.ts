/**
 * The server profile file format: how a customer's FTP server differs from
 * ours in what clients see (listing style, features, TLS session reuse, the
 * passive address, file name encoding, connection limits). Shipped profiles
 * are in this folder, one YAML file each; docs/faults.md lists them.
 */
import { z } from 'zod';

/** The TLS session reuse a server insists on for data connections under TLS. */
const tlsSessionReuse = z.strictObject({
  /**
   * The reply to a transfer whose data connection did not resume the control
   * connection's TLS session: 522 (vsftpd), 425 (FileZilla Server).
   */
  reply: z.literal([522, 425]),
  text: z.string().min(1).optional(),
});

export const serverProfileSchema = z.strictObject({
  /** Names it in messages, transcripts and `faults show`; the file name for shipped ones. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a profile name is lower-case letters, digits and "-"'),
  /** What it reproduces, for people. */
  description: z.string().min(1),
  /** The text of the 220 greeting. */
  greeting: z.string().min(1).optional(),
  /** The reply to SYST, e.g. `UNIX Type: L8` or `Windows_NT`. */
  system: z.string().min(1).optional(),
  /** LIST lines: `unix` (`ls -l`) or `dos` (MS-DOS style, two-digit years, as IIS). Default unix. */
  listing: z.enum(['unix', 'dos']).optional(),
  /** MLSD and MLST offered (default true); false answers them 500 and leaves MLST out of FEAT. */
  machineListing: z.boolean().optional(),
  /** EPSV offered (default true). */
  epsv: z.boolean().optional(),
  /**
   * File names on the wire: `utf-8` (default, UTF8 in FEAT) or `windows-1252`
   * (no UTF8 in FEAT, OPTS UTF8 ON refused, names read and listed in that code page).
   */
  nameEncoding: z.enum(['utf-8', 'windows-1252']).optional(),
  /** Data connections under TLS must resume the control connection's TLS session. */
  tlsSessionReuse: tlsSessionReuse.optional(),
  /** The address PASV replies give instead of the server's own (a NAT in front of it, misconfigured). */
  passiveAddress: z.ipv4().optional(),
  /** More control connections than this from one client address are answered 421 and closed. */
  maxConnectionsPerAddress: z.number().int().positive().optional(),
});

/** A server profile, as its file gives it. */
export type ServerProfile = z.infer<typeof serverProfileSchema>;

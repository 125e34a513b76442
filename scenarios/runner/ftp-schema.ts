/**
 * The FTP server's part of the scenario format: `setup.ftp` (TLS, a server
 * profile, faults and their seed from the start) and the `ftp.*` steps that
 * change them, check that faults fired, and hold control connections open.
 * docs/scenarios.md is the reference; faults and profiles are told in
 * docs/faults.md.
 */
import { z } from 'zod';
import { TLS_MODES } from '../../simulator/bo/settings.ts';
import { faultSpecSchema } from '../../simulator/ftp/faults/fault-schema.ts';

/** Faults as a scenario gives them: a list in the fault format, or a fault file's path from the scenario's folder. */
export const faultListSchema = z.union([z.string().min(1), z.array(faultSpecSchema)]);
export type FaultList = z.infer<typeof faultListSchema>;

/** How many control connections `ftp.occupy` opens at most, so that a typo cannot exhaust the machine. */
export const MAX_OCCUPIED_CONNECTIONS = 200;

/** The server profile that is no profile: our own server's behaviour. */
export const NO_PROFILE = 'none';

/** `setup.ftp`: how the scenario's FTP server starts. */
export const ftpSetupSchema = z.strictObject({
  /** Explicit FTP over TLS; default off. */
  tls: z.enum(TLS_MODES).optional(),
  /** A shipped server profile by name (`vsftpd`), or a profile file's path from the scenario's folder. */
  profile: z.string().min(1).optional(),
  faults: faultListSchema.optional(),
  /** The seed of the faults' random draws (default 1). */
  seed: z.number().int().optional(),
});
export type FtpSetup = z.infer<typeof ftpSetupSchema>;

/** What every step may say, as in schema.ts: no FTP step acts on a device. */
const stepBase = {
  device: z.string().optional(),
  expectError: z.string().min(1).optional(),
};

const positiveInt = z.number().int().positive();

/** The arguments of the `ftp.*` actions, by name; schema.ts adds them to the others. */
export const ftpStepBodies = {
  'ftp.faults': z.strictObject({
    ...stepBase,
    /** Replaces the faults in force; their fired counts start again from 0. */
    set: faultListSchema.optional(),
    /** Adds faults after those in force, numbered after them. */
    add: faultListSchema.optional(),
    /** Removes every fault. */
    clear: z.literal(true).optional(),
    /** With set: the seed of the new faults' draws (default 1). */
    seed: z.number().int().optional(),
  }).superRefine((body, context) => {
    const given = (['set', 'add', 'clear'] as const).filter((key) => body[key] !== undefined);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', path: given.length > 1 ? [given[1]!] : [],
        message: given.length > 1 ? `give one of ${given.join(' and ')}` : 'give set, add or clear' });
    }
    if (body.seed !== undefined && body.set === undefined) {
      context.addIssue({ code: 'custom', path: ['seed'],
        message: 'seed goes with set: add and clear keep the seed in force' });
    }
  }),
  /** `ftp.profile: vsftpd`, a profile file's path, or `none`; the mapping form takes expectError. */
  'ftp.profile': z.preprocess(
    (value) => ['string', 'number'].includes(typeof value) ? { name: String(value) } : value,
    z.strictObject({ ...stepBase, name: z.string().min(1) }),
  ),
  'ftp.fired': z.strictObject({
    ...stepBase,
    /** The fault's number among those in force, from 1, as `estock-hil faults show` lists them. */
    fault: positiveInt,
    /** Fired exactly this many times since it was set; instead of atLeast and atMost. */
    exactly: z.number().int().nonnegative().optional(),
    /** Fired at least this many times (default 1 when nothing is given). */
    atLeast: z.number().int().nonnegative().optional(),
    atMost: z.number().int().nonnegative().optional(),
  }).superRefine((body, context) => {
    if (body.exactly !== undefined && (body.atLeast !== undefined || body.atMost !== undefined)) {
      context.addIssue({ code: 'custom', path: ['exactly'], message: 'give exactly, or atLeast and/or atMost' });
    }
    if (body.atLeast !== undefined && body.atMost !== undefined && body.atLeast > body.atMost) {
      context.addIssue({ code: 'custom', path: ['atLeast'],
        message: `atLeast ${body.atLeast} is more than atMost ${body.atMost}` });
    }
  }),
  'ftp.occupy': z.strictObject({
    ...stepBase,
    /** Idle control connections to open from 127.0.0.1, kept until ftp.release or the end of the scenario. */
    connections: positiveInt.max(MAX_OCCUPIED_CONNECTIONS),
    /** Log each in with the company's FTP login (default false: greeted, never logged in). */
    login: z.boolean().optional(),
  }),
  /** Closes the connections of every ftp.occupy so far. */
  'ftp.release': z.strictObject({ ...stepBase }),
} as const;

/** The FTP actions: none acts on a device. */
export const FTP_ACTIONS = Object.keys(ftpStepBodies) as (keyof typeof ftpStepBodies)[];

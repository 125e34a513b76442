/**
 * The fault file format: what can go wrong on the network and in the
 * server's replies, as scenario steps, the CLI and a running `serve` give it.
 * One fault is a mapping with one key, its kind:
 *
 *     - bandwidth: 3g
 *     - cut: { direction: upload, atPercent: 40, close: abrupt, path: "Entrant/eStock/*\/MvtStocks/*" }
 *     - reply: { verb: STOR, path: "**\/MvtStocks/*", occurrence: 2, code: 451, when: after-data }
 *
 * docs/faults.md is the reference; this schema is its contract.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** The reply codes a reply fault may answer with. */
export const FAULT_REPLY_CODES = [421, 425, 426, 450, 451, 452, 530, 550, 553] as const;

/** The named network profiles of `bandwidth` (simulator/ftp/faults/networks.yaml). */
export const NETWORK_NAMES = ['edge', '3g', '4g', 'wifi'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

/**
 * Which way the bytes go. `upload` is from the client to the server (STOR,
 * and on the control connection, the commands); `download` the other way
 * (RETR, listings, and the replies).
 */
export const DIRECTIONS = ['upload', 'download', 'both'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * Whose sessions a fault applies to. `device`: every session that has not
 * named itself as the simulated back office (tablets, the virtual device,
 * any other client); `back-office`: only the simulated back office's;
 * `any`: both.
 */
export const SIDES = ['device', 'back-office', 'any'] as const;
export type Side = (typeof SIDES)[number];

/** How a cut data connection is closed. */
export const CLOSE_KINDS = ['clean', 'abrupt', 'reset'] as const;
export type CloseKind = (typeof CLOSE_KINDS)[number];

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const percent = z.number().gt(0).lt(100);

/** The longest delay a Node timer keeps (about 24.8 days); a longer one would fire at once. */
export const MAX_FAULT_MS = 2_147_483_647;
const durationMs = (least: 0 | 1) => z.number().int().min(least).max(MAX_FAULT_MS);

/**
 * When and to what a fault applies. Every field is optional; a fault without
 * any applies to every session and every transfer of the devices' side.
 */
const selectorFields = {
  /**
   * Whose sessions: `device` (default) spares the simulated back office, which
   * names itself with CLNT; `back-office` is only its sessions; `any` is all.
   */
  side: z.enum(SIDES).optional(),
  /** Only commands of this verb (STOR, RETR, LIST, PASV...), case-insensitive. */
  verb: z.string().regex(/^[A-Za-z]{3,4}$/, 'a verb is 3 or 4 letters, e.g. STOR').transform((verb) =>
    verb.toUpperCase()).optional(),
  /**
   * Only commands on a path matching this glob, from the company root without
   * a leading `/`: `Entrant/eStock/*\/MvtStocks/*.zip`. `**` crosses folders.
   */
  path: z.string().min(1).transform((glob) => glob.replace(/^\/+/, '')).optional(),
  /** Only sessions logged in with this FTP login. */
  login: z.string().min(1).optional(),
  /** Only sessions from this client address (as the server sees it: 127.0.0.1, 192.168.1.23). */
  address: z.string().refine((address) => isIP(address) !== 0,
    'an IPv4 or IPv6 address, as the server sees the client: 127.0.0.1, 192.168.1.23').optional(),
  /** The fault fires first at the Nth matching occasion counted since it was set (default 1). */
  occurrence: positiveInt.optional(),
  /** How many times it fires at most (default 1; latency and bandwidth apply for as long as they are set). */
  times: z.union([positiveInt, z.literal('always')]).optional(),
  /** The probability that it fires at each occasion, drawn from the fault set's seed (default 1). */
  chance: z.number().gt(0).max(1).optional(),
};

/** Added delay on each chunk of a session's connections, control and data. */
const latency = z.strictObject({
  ...selectorFields,
  ms: durationMs(0),
  /** Each chunk's delay varies by up to this much either way, drawn from the seed. */
  jitterMs: durationMs(0).optional(),
  direction: z.enum(DIRECTIONS).optional(),
});

/** A bandwidth cap: a named network profile (its rates and its latency), or rates given in kbit/s. */
const bandwidth = z.strictObject({
  ...selectorFields,
  network: z.enum(NETWORK_NAMES).optional(),
  /** Client to server, kbit/s. */
  upKbps: positiveInt.optional(),
  /** Server to client, kbit/s. */
  downKbps: positiveInt.optional(),
}).refine((body) => body.network !== undefined || body.upKbps !== undefined || body.downKbps !== undefined,
  { message: 'give a network (edge, 3g, 4g, wifi), or upKbps and/or downKbps' });

/** A data connection that stops carrying bytes after a point, for a while or for good. */
const stall = z.strictObject({
  ...selectorFields,
  direction: z.enum(DIRECTIONS).optional(),
  afterBytes: nonNegativeInt.optional(),
  afterPercent: percent.optional(),
  /** How long it stalls; for good when left out (the client must give up). */
  forMs: durationMs(1).optional(),
}).refine((body) => (body.afterBytes === undefined) !== (body.afterPercent === undefined),
  { message: 'give afterBytes or afterPercent, one of them' });

/** A data connection closed by the server in the middle of a transfer. */
const cut = z.strictObject({
  ...selectorFields,
  direction: z.enum(DIRECTIONS).optional(),
  atBytes: nonNegativeInt.optional(),
  atPercent: percent.optional(),
  /**
   * `clean`: TLS close_notify (under TLS) then FIN; `abrupt` (default): FIN
   * without close_notify; `reset`: TCP RST.
   */
  close: z.enum(CLOSE_KINDS).optional(),
}).refine((body) => (body.atBytes === undefined) !== (body.atPercent === undefined),
  { message: 'give atBytes or atPercent, one of them' });

/** The control connection reset (TCP RST) when a matching command arrives, before any reply. */
const reset = z.strictObject({ ...selectorFields });

/**
 * Sessions idle for this long get 421 and are closed (instead of the
 * server's 15 minutes). An idle session has no command: verb and path do not apply.
 */
const { verb: _verb, path: _path, ...sessionSelectors } = selectorFields;
const idleTimeout = z.strictObject({ ...sessionSelectors, ms: durationMs(1) });

/** A matching command answered with a chosen code. */
const reply = z.strictObject({
  ...selectorFields,
  code: z.number().refine((code) => (FAULT_REPLY_CODES as readonly number[]).includes(code),
    { message: `a reply fault answers one of ${FAULT_REPLY_CODES.join(', ')}` }),
  /**
   * `instead` (default): the command is not carried out, no data connection
   * is used. `after-data`: a transfer receives or sends all its data first,
   * then gets this reply instead of 226; an upload's file is kept as received.
   */
  when: z.enum(['instead', 'after-data']).optional(),
  /** The reply's text; a usual one for the code when left out. */
  text: z.string().min(1).optional(),
});

/** Short forms: `latency: 300` (ms), `bandwidth: 3g`, `idleTimeout: 2000` (ms). */
const shortForm = <T extends z.ZodType>(key: string, kind: 'number' | 'string', body: T) =>
  z.preprocess((value) => (typeof value === kind ? { [key]: value } : value), body);

/** The kinds of fault. */
export const FAULT_KINDS = ['latency', 'bandwidth', 'stall', 'cut', 'reset', 'idleTimeout', 'reply'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const ONE_KIND = `a fault is a mapping of one key, its kind: one of ${FAULT_KINDS.join(', ')}`;

/**
 * One fault: a mapping of one key, its kind. Checked as a mapping of
 * optional kinds rather than a union of one-key mappings, so that a problem
 * is told at its field (`faults.2.cut.atPercent`), not as "invalid input".
 */
export const faultSpecSchema = z.strictObject({
  latency: shortForm('ms', 'number', latency).optional(),
  bandwidth: shortForm('network', 'string', bandwidth).optional(),
  stall: stall.optional(),
  cut: cut.optional(),
  // `- reset:` alone, with no selector, is YAML for a null body.
  reset: z.preprocess((value) => value ?? {}, reset).optional(),
  idleTimeout: shortForm('ms', 'number', idleTimeout).optional(),
  reply: reply.optional(),
}, { error: (issue) => (issue.code === 'unrecognized_keys' ? `${ONE_KIND}; not ${issue.keys.join(', ')}` : undefined) })
  .refine((spec) => Object.keys(spec).length === 1, { message: ONE_KIND })
  .transform((spec) => spec as FaultSpec);

/** One fault, as written: one key, its kind. */
export type FaultSpec =
  | { latency: z.infer<typeof latency> }
  | { bandwidth: z.infer<typeof bandwidth> }
  | { stall: z.infer<typeof stall> }
  | { cut: z.infer<typeof cut> }
  | { reset: z.infer<typeof reset> }
  | { idleTimeout: z.infer<typeof idleTimeout> }
  | { reply: z.infer<typeof reply> };

/** The faults in force on a server, and the seed their random draws come from. */
export const faultSetSchema = z.strictObject({
  /** Same seed, same faults fired at the same occasions (default 1). */
  seed: z.number().int().optional(),
  faults: z.array(faultSpecSchema),
});
export type FaultSet = z.infer<typeof faultSetSchema>;

/** The kind of a fault: its one key. */
export function faultKind(spec: FaultSpec): FaultKind {
  return Object.keys(spec)[0] as FaultKind;
}

/** The body of each kind of fault; a short form (`latency: 300`) gives one with only its main field. */
interface FaultBodies {
  latency: z.infer<typeof latency>;
  bandwidth: z.infer<typeof bandwidth>;
  stall: z.infer<typeof stall>;
  cut: z.infer<typeof cut>;
  reset: z.infer<typeof reset>;
  idleTimeout: z.infer<typeof idleTimeout>;
  reply: z.infer<typeof reply>;
}

/** The body of a fault of one kind, as the schema gives it (short forms expanded). */
export type FaultBody<K extends FaultKind> = FaultBodies[K];

/** A fault that fired, as the session transcript records it. */
export interface FiredFault {
  /** The fault's place in the fault set, from 1, as `faults show` lists them. */
  fault: number;
  kind: FaultKind;
  /** What happened, in words: `upload of Entrant/.../x.zip cut at 5120 of 12800 bytes (40%), abrupt close`. */
  text: string;
}

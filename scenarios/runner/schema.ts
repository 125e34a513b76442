/**
 * The scenario file format: a setup and a list of steps, each step one action
 * with its arguments and, optionally, what to expect of it. See
 * docs/scenarios.md for the reference and scenarios/*.yaml for examples.
 */
import { z } from 'zod';
import { DEVICE_ID_PATTERN } from '../../simulator/company.ts';

const deviceId = z.string().regex(DEVICE_ID_PATTERN, 'a device id is 1 to 30 letters, digits, "-", "_" or "."');
const code = z.string().min(1);

/** What every step may say: the device it acts on, and an error it must end with instead of succeeding. */
const stepBase = {
  /** The device acted on; may be left out when the setup has a single device. */
  device: deviceId.optional(),
  /** The step must fail with an error whose message contains this text. */
  expectError: z.string().min(1).optional(),
};

const setupSchema = z.strictObject({
  /** A company shipped in simulator/companies (by name) or a company file path. */
  company: z.string().min(1).default('demo'),
  mapping: z.strictObject({ format: z.string().min(1), version: z.string().min(1) })
    .default({ format: 'eStock', version: '1.00' }),
  catalog: z.strictObject({
    size: z.enum(['small', 'medium', 'large']).default('small'),
    seed: z.number().int().nonnegative().default(1),
  }).default({ size: 'small', seed: 1 }),
  devices: z.array(deviceId).min(1),
});

const stockExpectation = z.strictObject({
  lot: code,
  depot: code,
  location: code,
  /** The stock after the step. */
  quantity: z.number().optional(),
  /** The change of stock made by the step (after minus before). */
  change: z.number().optional(),
}).refine((line) => (line.quantity === undefined) !== (line.change === undefined), {
  message: 'give either quantity or change',
});

/** What a step that must fail cannot also have: expectations of its result. */
function refuseExpectWithExpectError(body: { expectError?: string; expect?: unknown }, context: z.RefinementCtx) {
  if (body.expectError !== undefined && body.expect !== undefined) {
    context.addIssue({ code: 'custom', path: ['expectError'],
      message: 'a step with expectError must fail, so it has no result to expect; keep expect or expectError' });
  }
}

/** Quantities have 3 decimals at most: the device and the exchange files keep no more. */
const QUANTITY_DECIMALS = 3;

function hasAtMostDecimals(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, Math.abs(scaled));
}

type MovementArguments = z.infer<typeof movementFields>;

/**
 * What the device refuses in any state, checked before the run. When the step
 * has expectError the scenario wants to see the refusal, so the values the
 * device refuses are let through; a quantity it would round is refused still.
 */
function checkMovementArguments(body: MovementArguments, context: z.RefinementCtx): void {
  const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (!hasAtMostDecimals(body.quantity, QUANTITY_DECIMALS)) {
    problem('quantity', `${body.quantity} has more than ${QUANTITY_DECIMALS} decimals, which the device ` +
      `does not keep; round it to ${QUANTITY_DECIMALS} decimals`);
  }
  if (body.expectError !== undefined) return;

  if (body.type === 'inventory' ? body.quantity < 0 : body.quantity <= 0) {
    const expected = body.type === 'inventory' ? '0 or more' : 'more than 0';
    problem('quantity', `${body.quantity} for ${movementKind(body.type)}: expected ${expected}`);
  }
  if (body.location === undefined) problem('location', `the location in depot ${body.depot} is missing`);
  if (body.type === 'transfer') {
    if (body.toDepot === undefined) problem('toDepot', 'a transfer needs toDepot, the depot it goes to');
    if (body.toLocation === undefined) problem('toLocation', 'a transfer needs toLocation, the location it goes to');
    return;
  }
  for (const key of ['toDepot', 'toLocation'] as const) {
    if (body[key] !== undefined) problem(key, `${key} is for transfers only, not for ${movementKind(body.type)}`);
  }
}

/** `an entry`, `a transfer`... */
function movementKind(type: MovementArguments['type']): string {
  return `${type === 'transfer' ? 'a' : 'an'} ${type}`;
}

const movementFields = z.strictObject({
  ...stepBase,
  type: z.enum(['entry', 'exit', 'transfer', 'inventory']),
  lot: code,
  article: code.optional(),
  vintage: z.number().int().min(1900).max(2100).optional(),
  depot: code,
  location: code.optional(),
  toDepot: code.optional(),
  toLocation: code.optional(),
  quantity: z.number(),
  reason: code,
  comment: z.string().optional(),
  lotInformation: z.record(z.string(), z.string()).optional(),
});

const movementBody = movementFields.superRefine(checkMovementArguments);

/** The arguments of each action, by the action's name as written in a scenario file. */
export const stepBodies = {
  'bo.export': z.strictObject({
    ...stepBase,
    expect: z.strictObject({
      anomalies: z.number().int().nonnegative().optional(),
      files: z.number().int().nonnegative().optional(),
      tables: z.number().int().nonnegative().optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError),
  'device.configure': z.strictObject({
    ...stepBase,
    /** Overrides of the simulator's own FTP address and company login, e.g. a wrong password. */
    ftp: z.strictObject({
      host: z.string().optional(),
      port: z.number().int().min(1).max(65535).optional(),
      user: z.string().optional(),
      password: z.string().optional(),
    }).optional(),
    /** The BO login the device works as; default the one in the company's eStock device list. */
    login: z.string().optional(),
  }),
  'device.testFtp': z.strictObject({
    ...stepBase,
    /** Default `{ ok: true }`: the test must succeed. */
    expect: z.strictObject({ ok: z.boolean() }).optional(),
  }).superRefine(refuseExpectWithExpectError),
  'device.receive': z.strictObject({
    ...stepBase,
    expect: z.strictObject({
      tables: z.number().int().nonnegative().optional(),
      rows: z.number().int().nonnegative().optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError),
  'device.move': movementBody,
  'device.send': z.strictObject({
    ...stepBase,
    expect: z.strictObject({
      movements: z.number().int().nonnegative().optional(),
      lots: z.number().int().nonnegative().optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError),
  'bo.import': z.strictObject({
    ...stepBase,
    expect: z.strictObject({
      movementsImported: z.number().int().nonnegative().optional(),
      zips: z.number().int().nonnegative().optional(),
      /** The number of anomalies, or texts each of which an anomaly's reason must contain. */
      anomalies: z.union([z.number().int().nonnegative(), z.array(z.string().min(1))]).optional(),
      stock: z.array(stockExpectation).optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError),
} as const;

/** The name of an action, e.g. `device.send`. */
export type ActionName = keyof typeof stepBodies;
export const ACTION_NAMES = Object.keys(stepBodies) as ActionName[];

/** The arguments of one action, as validated. */
export type StepBody<A extends ActionName> = z.infer<(typeof stepBodies)[A]>;
export type StockExpectation = z.infer<typeof stockExpectation>;

/** One step of a scenario, with where it stands in its file. */
export type Step = {
  [A in ActionName]: { index: number; line: number | undefined; action: A; body: StepBody<A> }
}[ActionName];

export const scenarioHeadSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  setup: setupSchema,
  steps: z.array(z.unknown()).min(1),
});

export type ScenarioSetup = z.infer<typeof setupSchema>;

/** A scenario file, read and validated. */
export interface Scenario {
  file: string;
  name: string;
  description: string;
  setup: ScenarioSetup;
  steps: Step[];
}

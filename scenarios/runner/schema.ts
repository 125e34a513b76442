/**
 * The scenario file format: a setup and a list of steps, each step one action
 * with its arguments and, optionally, what to expect of it. See
 * docs/scenarios.md for the reference and scenarios/*.yaml for examples.
 */
import { z } from 'zod';
import { checkSelection, parseCriteria } from '../../simulator/bo/export-criteria.ts';
import { estockSettingsSchema, TLS_MODES } from '../../simulator/bo/settings.ts';
import { DEVICE_ID_PATTERN } from '../../simulator/company.ts';
import { FTP_ACTIONS, ftpSetupSchema, ftpStepBodies } from './ftp-schema.ts';
import {
  DEVICE_TLS_MODES, PASSIVE_ADDRESS_HABITS, UPLOAD_MODES, type SyncSettings,
} from '../../simulator/device/index.ts';

const deviceId = z.string().regex(DEVICE_ID_PATTERN, 'a device id is 1 to 30 letters, digits, "-", "_" or "."');
const code = z.string().min(1);

/** What every step may say: the device it acts on, and an error it must end with instead of succeeding. */
const stepBase = {
  /** The device acted on; may be left out when the setup has a single device. */
  device: deviceId.optional(),
  /** The step must fail with an error whose message contains this text. */
  expectError: z.string().min(1).optional(),
};

/**
 * A device's sync settings (simulator/device/sync-settings.ts): how long it
 * waits for the server, how often and how far apart it tries again, how it
 * uploads. The virtual device checks the same bounds.
 */
const syncSettingFields = {
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  attempts: z.number().int().min(1).max(100).optional(),
  pauseMs: z.number().int().min(0).max(3_600_000).optional(),
  uploadMode: z.enum(UPLOAD_MODES).optional(),
  tls: z.enum(DEVICE_TLS_MODES).optional(),
  passiveAddress: z.enum(PASSIVE_ADDRESS_HABITS).optional(),
};

/** Sync settings written in a scenario: those given, none left undefined. */
export type ScenarioSyncSettings = Partial<SyncSettings>;

function givenSyncSettings(fields: { [K in keyof SyncSettings]?: SyncSettings[K] }): ScenarioSyncSettings {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** A device of the setup: its id, or its id with the sync settings each device.configure of it gives. */
const setupDevice = z.union([deviceId, z.strictObject({ device: deviceId, ...syncSettingFields })], {
  error: 'a device is its id, or { device: <id> } with sync settings: timeoutMs, attempts, pauseMs, ' +
    'uploadMode, tls, passiveAddress',
});

const setupSchema = z.strictObject({
  /** A company shipped in simulator/companies (by name) or a company file path. */
  company: z.string().min(1).default('demo'),
  mapping: z.strictObject({ format: z.string().min(1), version: z.string().min(1) })
    .default({ format: 'eStock', version: '1.00' }),
  catalog: z.strictObject({
    size: z.enum(['small', 'medium', 'large']).default('small'),
    seed: z.number().int().nonnegative().default(1),
  }).default({ size: 'small', seed: 1 }),
  devices: z.array(setupDevice).min(1),
  /** The FTP server's TLS mode, profile and faults from the start (ftp-schema.ts). */
  ftp: ftpSetupSchema.optional(),
}).transform(({ devices, ...setup }) => ({
  ...setup,
  devices: devices.map((entry) => typeof entry === 'string' ? entry : entry.device),
  /** The setup's sync settings by device id, for the devices given with some. */
  deviceSync: Object.fromEntries(devices.flatMap((entry) => {
    if (typeof entry === 'string') return [];
    const { device, ...sync } = entry;
    return [[device, givenSyncSettings(sync)]];
  })) as Record<string, ScenarioSyncSettings>,
}));

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

/** The number of anomalies, or texts each of which an anomaly (`file:line: reason`) must contain. */
const anomaliesExpectation = z.union([z.number().int().nonnegative(), z.array(z.string().min(1))]);

/** Codes of a selection; an empty list, which matches nothing, is named by checkExportSelection. */
const codes = z.array(code);
const year = z.number().refine((value) => Number.isInteger(value) && value >= 1000 && value <= 9999,
  'a vintage is a year of 4 digits, e.g. 2018');

/** A range with at least one bound. */
function bounded<T extends z.ZodRawShape>(shape: T, keys: string) {
  return z.strictObject(shape).refine((range) => Object.values(range).some((bound) => bound !== undefined),
    { message: `give ${keys}, or leave the range out` });
}

/**
 * The lot selection of the export window, as LotSelection in
 * simulator/bo/types.ts: lists of codes, years of 4 digits, ranges with at
 * least one bound. A range whose start is after its end, an empty list or a
 * badly written code, is refused by the back office too (checkSelection); it is named here
 * before the run, unless the step has expectError to see that refusal.
 */
const lotSelection = z.strictObject({
  articles: codes.optional(),
  families: codes.optional(),
  depots: codes.optional(),
  locations: codes.optional(),
  vintages: bounded({ from: year.optional(), to: year.optional() }, 'from, to or both').optional(),
  quantity: bounded({ min: z.number().optional(), max: z.number().optional() }, 'min, max or both').optional(),
});

/** The problems of a step's selection that the back office refuses, as checkSelection names them. */
function checkExportSelection(body: { expectError?: string; selection?: z.infer<typeof lotSelection> },
  context: z.RefinementCtx): void {
  if (body.expectError !== undefined || body.selection === undefined) return;
  for (const problem of checkSelection(body.selection)) {
    const key = problem.slice(0, problem.indexOf(':'));
    context.addIssue({ code: 'custom', path: ['selection', key], message: problem.slice(key.length + 2) });
  }
}

/** An authentication key as the registry takes it; the back office refuses another. */
const AUTH_KEY = /^[0-9a-f]{16}$/i;

/**
 * Values of the registry and the eStock list the back office refuses in any
 * state: an authentication key not of 16 hexadecimal digits, criteria that
 * cannot be read (parseCriteria). Let through when the step has expectError,
 * to see the refusal.
 */
function checkDeviceValues(body: { expectError?: string; device?: string; authKey?: string; criteria?: string },
  context: z.RefinementCtx): void {
  if (body.expectError !== undefined) return;
  if (body.authKey !== undefined && !AUTH_KEY.test(body.authKey)) {
    context.addIssue({ code: 'custom', path: ['authKey'],
      message: `"${body.authKey}" is not 16 hexadecimal digits (0-9, a-f), e.g. 0123456789abcdef` });
  }
  if (body.criteria === undefined) return;
  try {
    parseCriteria(body.criteria, body.device ?? 'of the step');
  } catch (error) {
    context.addIssue({ code: 'custom', path: ['criteria'], message: (error as Error).message });
  }
}

const SETTINGS_KEYS = Object.keys(estockSettingsSchema.shape);
/** A setting's value: the back office checks it when the step runs, so that a scenario can expect its refusal. */
const settingsValues = z.record(z.string(), z.union([z.string(), z.number()]));

/** Settings keys the back office does not have, named before the run. */
function checkSettingsKeys(body: { set?: Record<string, unknown>; expect?: Record<string, unknown> },
  context: z.RefinementCtx): void {
  for (const part of ['set', 'expect'] as const) {
    for (const key of Object.keys(body[part] ?? {})) {
      if (SETTINGS_KEYS.includes(key)) continue;
      context.addIssue({ code: 'custom', path: [part, key],
        message: `${key} is not a setting; the settings are ${SETTINGS_KEYS.join(', ')}` });
    }
  }
}

/** At most one of the keys that say what a step does, e.g. create or delete. */
function oneOf(keys: readonly string[]) {
  return (body: Record<string, unknown>, context: z.RefinementCtx): void => {
    const given = keys.filter((key) => body[key] !== undefined);
    if (given.length > 1) {
      context.addIssue({ code: 'custom', path: [given[1]!], message: `give one of ${given.join(' and ')}` });
    }
  };
}

/** The arguments of each action, by the action's name as written in a scenario file. */
export const stepBodies = {
  'bo.export': z.strictObject({
    ...stepBase,
    /** « Exporter la sélection » to several devices, one report each; instead of device. */
    devices: z.array(deviceId).min(1, 'an empty list exports to no device; give at least one').optional(),
    selection: lotSelection.optional(),
    scope: z.enum(['all-articles', 'existing-lots']).optional(),
    /** Each device's report must meet these. */
    expect: z.strictObject({
      anomalies: anomaliesExpectation.optional(),
      files: z.number().int().nonnegative().optional(),
      tables: z.number().int().nonnegative().optional(),
      rows: z.number().int().nonnegative().optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError).superRefine(checkExportSelection).superRefine((body, context) => {
    const twice = body.devices?.find((id, index) => body.devices!.indexOf(id) !== index);
    if (twice !== undefined) {
      context.addIssue({ code: 'custom', path: ['devices'], message: `${twice} is given twice; give each once` });
    }
  }),
  'bo.settings': z.strictObject({
    ...stepBase,
    /** The settings to change, all or none: `{ negativeStock: refuse }`. */
    set: settingsValues.optional(),
    /** Settings as they stand after the step. */
    expect: settingsValues.optional(),
  }).superRefine(refuseExpectWithExpectError).superRefine(checkSettingsKeys),
  'bo.ftpProfile': z.strictObject({
    ...stepBase,
    name: z.string().min(1),
    /** The fields to set; a new profile takes the others from the simulator's own (`estock-hil`). */
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    tls: z.enum(TLS_MODES).optional(),
    /** Deletes the profile instead. */
    delete: z.literal(true).optional(),
  }).superRefine((body, context) => {
    const fields = ['host', 'port', 'user', 'password', 'tls'].filter((key) => body[key as keyof typeof body]);
    if (body.delete === true && fields.length > 0) {
      context.addIssue({ code: 'custom', path: ['delete'],
        message: `a deleted profile takes no ${fields.join(', ')}` });
    }
  }),
  'bo.licence': z.strictObject({
    ...stepBase,
    /** « Générer la clé » with these; the one left out keeps its value. A new key needs its counter-key again. */
    count: z.number().int().nonnegative().optional(),
    until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day written YYYY-MM-DD, in quotes').optional(),
    /** Entered after any new key: `valid` for the technical service's answer to the key, or the text to type. */
    counterKey: z.string().min(1).optional(),
    expect: z.strictObject({
      valid: z.boolean().optional(),
      /** Text the reason of the refusal must contain. */
      refusal: z.string().min(1).optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError),
  'bo.registry': z.strictObject({
    ...stepBase,
    /** « Créer »: registers the device (a random key unless authKey is given). */
    create: z.literal(true).optional(),
    /** « Supprimer ». */
    delete: z.literal(true).optional(),
    authKey: z.string().optional(),
    blocked: z.boolean().optional(),
  }).superRefine(oneOf(['create', 'delete'])).superRefine((body, context) => {
    if (body.create === undefined && body.delete === undefined && body.authKey === undefined &&
      body.blocked === undefined) {
      context.addIssue({ code: 'custom', path: [],
        message: 'give create, delete, or what to change: authKey, blocked' });
    }
  }).superRefine(checkDeviceValues),
  'bo.estockList': z.strictObject({
    ...stepBase,
    /** « Ajouter »: adds the registered device, with its login. */
    add: z.literal(true).optional(),
    remove: z.literal(true).optional(),
    login: z.string().min(1).optional(),
    active: z.boolean().optional(),
    blocked: z.boolean().optional(),
    criteria: z.string().optional(),
  }).superRefine(oneOf(['add', 'remove'])).superRefine((body, context) => {
    const changes = ['login', 'active', 'blocked', 'criteria']
      .filter((key) => body[key as keyof typeof body] !== undefined);
    if (body.add === true && body.login === undefined) {
      context.addIssue({ code: 'custom', path: ['login'], message: 'a device added to the list needs its login' });
    }
    if (body.add === undefined && body.remove === undefined && changes.length === 0) {
      context.addIssue({ code: 'custom', path: [],
        message: 'give add, remove, or what to change: login, active, blocked, criteria' });
    }
  }).superRefine(checkDeviceValues),
  'bo.seed': z.strictObject({
    ...stepBase,
    size: z.enum(['small', 'medium', 'large']).default('small'),
    seed: z.number().int().nonnegative().default(1),
    expect: z.strictObject({
      articles: z.number().int().nonnegative().optional(),
      lots: z.number().int().nonnegative().optional(),
      rows: z.number().int().nonnegative().optional(),
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
    /** Sync settings; those left out keep the setup's, or the device's own. */
    ...syncSettingFields,
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
    /** Imports from every device of the eStock list that is active and blocked nowhere; instead of device. */
    all: z.literal(true).optional(),
    /** Over every device imported from. */
    expect: z.strictObject({
      movementsImported: z.number().int().nonnegative().optional(),
      zips: z.number().int().nonnegative().optional(),
      anomalies: anomaliesExpectation.optional(),
      stock: z.array(stockExpectation).optional(),
    }).optional(),
  }).superRefine(refuseExpectWithExpectError),
  ...ftpStepBodies,
} as const;

/** The name of an action, e.g. `device.send`. */
export type ActionName = keyof typeof stepBodies;
export const ACTION_NAMES = Object.keys(stepBodies) as ActionName[];

/** The BO's administration: no device, or one for the registry and the eStock list. */
const NO_DEVICE: readonly ActionName[] = ['bo.settings', 'bo.ftpProfile', 'bo.licence', 'bo.seed', ...FTP_ACTIONS];
const ANY_DEVICE: readonly ActionName[] = ['bo.registry', 'bo.estockList'];

/**
 * Which device a step acts on: `setup`, one of the setup's devices (left out
 * when it has one); `any`, a device id it must name, in the setup or not
 * (the registry, the eStock list); `none`, no device (the settings, the
 * licence; an export with `devices`, an import with `all`).
 */
export function stepDeviceRule(action: ActionName, body: Record<string, unknown>): 'setup' | 'any' | 'none' {
  if (NO_DEVICE.includes(action)) return 'none';
  if (ANY_DEVICE.includes(action)) return 'any';
  if (action === 'bo.export' && body.devices !== undefined) return 'none';
  if (action === 'bo.import' && body.all !== undefined) return 'none';
  return 'setup';
}

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

/** The sync settings a device.configure step gives its device: the setup's, then the step's own. */
export function stepSyncSettings(setup: ScenarioSetup | undefined, device: string,
  body: StepBody<'device.configure'>): ScenarioSyncSettings {
  const { timeoutMs, attempts, pauseMs, uploadMode, tls, passiveAddress } = body;
  return {
    ...setup?.deviceSync[device],
    ...givenSyncSettings({ timeoutMs, attempts, pauseMs, uploadMode, tls, passiveAddress }),
  };
}

/** A scenario file, read and validated. */
export interface Scenario {
  file: string;
  name: string;
  description: string;
  setup: ScenarioSetup;
  steps: Step[];
}

/**
 * The format of a device profile (`devices/profiles/<name>.yaml`): how to
 * reach one kind of device through Appium, and where it reaches the
 * simulator. docs/devices.md describes every field.
 */
import { z } from 'zod';

/** The Appium automation names a profile may use, with the driver kind reports show. */
export const AUTOMATION_KINDS = {
  EstockVirtual: 'appium:virtual',
  UiAutomator2: 'appium:uiautomator2',
} as const;

/** `appium:virtual` or `appium:uiautomator2`. */
export type AppiumKind = (typeof AUTOMATION_KINDS)[keyof typeof AUTOMATION_KINDS];

const port = z.number().int().min(1024).max(65535);
const text = z.string().min(1);
const version = z.string().regex(/^\d+(\.\d+){0,3}$/, 'a version is numbers separated by dots, e.g. 2.1.0');

/** What `reset` does at the start of a session: `fresh` clears the app's data, `keep` keeps it, `reinstall` too. */
export const RESETS = ['fresh', 'keep', 'reinstall'] as const;

/** A profile file as written. */
export const profileFileSchema = z.strictObject({
  description: z.string().optional(),
  automationName: z.enum(Object.keys(AUTOMATION_KINDS) as [keyof typeof AUTOMATION_KINDS]),
  /** The app file or APK, relative to the profile file; none: the app is already installed. */
  app: text.nullish(),
  /** The application id, read by `dumpsys package` to check the installed version. */
  appPackage: text.nullish(),
  appActivity: text.nullish(),
  appVersion: version,
  /** A locator map file, relative to the profile file, instead of the one the version rule picks. */
  locators: text.nullish(),
  /** A serial with `{slot}`, or a list of serials (slot N takes the Nth); none: give one per run. */
  udid: z.union([text, z.array(text).min(1)]).nullish(),
  /** An emulator to start (`appium:avd`), `{slot}` allowed. */
  avd: text.nullish(),
  /** The device id typed in the settings when none is given, `{slot}` allowed. */
  deviceId: text.default('HIL{slot}'),
  simulator: z.strictObject({
    /** The address the device reaches the simulator's FTP server at; `lan`: this machine's LAN address. */
    host: text,
    /** The address the simulator must listen on. */
    listen: text,
    /** The address the FTP server names in its passive replies; default `host`. */
    passiveHost: text.optional(),
  }),
  reset: z.enum(RESETS).default('fresh'),
  autoGrantPermissions: z.boolean().default(false),
  /** Slot N gets base + N - 1. */
  ports: z.strictObject({ systemPort: port, mjpegServerPort: port, chromedriverPort: port }).partial().optional(),
  /** How long a screen element is looked for, and an action's result waited for, in ms. */
  timeouts: z.strictObject({
    findMs: z.number().int().positive().default(10_000),
    actionMs: z.number().int().positive().default(120_000),
  }).default({ findMs: 10_000, actionMs: 120_000 }),
  /** More capabilities, each with its vendor prefix (`appium:`). */
  capabilities: z.record(z.string(), z.unknown()).superRefine((caps, context) => {
    for (const key of Object.keys(caps)) {
      if (key === 'browserName') {
        context.addIssue({ code: 'custom', path: [key], message: 'never set browserName: WebdriverIO would ' +
          'download a browser for it' });
      } else if (!/^[a-z0-9-]+:/i.test(key)) {
        const message = 'a capability needs its vendor prefix, e.g. appium:';
        context.addIssue({ code: 'custom', path: [key], message });
      }
    }
  }).default({}),
});

/** A profile file as written, with its defaults. */
export type ProfileFile = z.infer<typeof profileFileSchema>;

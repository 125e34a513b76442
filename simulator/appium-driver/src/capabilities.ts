/**
 * The capabilities a session of the EstockVirtual driver takes, checked by
 * Appium's own constraint validation (docs/virtual-app.md, « Capabilities »).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@appium/base-driver';
import type { Constraints } from '@appium/types';

/** The constraints BaseDriver checks the session's capabilities against. */
export const CAPABILITY_CONSTRAINTS = {
  platformName: { presence: true, isString: true, inclusionCaseInsensitive: ['Android'] },
  app: { presence: true, isString: true },
  udid: { isString: true },
  noReset: { isBoolean: true },
  fullReset: { isBoolean: true },
  autoGrantPermissions: { isBoolean: true },
  estockDataDir: { isString: true },
  estockMapping: { isString: true },
} as const satisfies Constraints;

/** The constraints' type, which BaseDriver is parameterised with. */
export type EstockConstraints = typeof CAPABILITY_CONSTRAINTS;

/** The udid when the session names none. */
export const DEFAULT_UDID = 'virtual-1';

/** Where app data lives when `appium:estockDataDir` is not given: a folder of the OS temp dir. */
export const DEFAULT_DATA_DIR = join(tmpdir(), 'estock-virtual-devices');

/** What a session asks for, once its capabilities are read. */
export interface SessionOptions {
  app: string;
  udid: string;
  reset: 'none' | 'data' | 'full';
  autoGrantPermissions: boolean;
  dataDir: string;
  /** `appium:estockMapping` split, when given. */
  mapping?: { format: string; version: string };
}

/** Reads the capabilities Appium validated; throws SessionNotCreatedError for a wrong udid or mapping. */
export function sessionOptions(caps: Record<string, unknown>): SessionOptions {
  const udid = (caps.udid as string | undefined) ?? DEFAULT_UDID;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(udid)) {
    throw new errors.SessionNotCreatedError(`appium:udid ${JSON.stringify(udid)} must be letters, digits, ` +
      '"-", "_" or "." (it names the device\'s folder)');
  }
  let mapping: SessionOptions['mapping'];
  if (caps.estockMapping !== undefined) {
    const [format, version, extra] = String(caps.estockMapping).split('@');
    if (!format || !version || extra !== undefined) {
      throw new errors.SessionNotCreatedError(`appium:estockMapping ${JSON.stringify(caps.estockMapping)} ` +
        'must read <format>@<version>, e.g. eStock@1.00');
    }
    mapping = { format, version };
  }
  return {
    app: caps.app as string,
    udid,
    reset: caps.fullReset === true ? 'full' : caps.noReset === true ? 'none' : 'data',
    autoGrantPermissions: caps.autoGrantPermissions === true,
    dataDir: (caps.estockDataDir as string | undefined) ?? DEFAULT_DATA_DIR,
    mapping,
  };
}

/**
 * Faults of the harness on the Appium path: an element no locator finds, an
 * app version other than the profile's, a screen that never shows a result.
 * They are plain Errors on purpose, not the simulator's HilError family: a
 * scenario step that ends with one is `broken` (the harness or its map is
 * wrong), while a refusal the app shows is a DeviceError and `failed`.
 */

/** A fault of the harness, with a stable code like the simulator's errors. */
export class HarnessError extends Error {
  /** e.g. `LOCATOR_NOT_FOUND`, `APP_VERSION`, `SCREEN_TIMEOUT`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** No locator of a logical name found an element before the deadline. */
export class LocatorNotFoundError extends HarnessError {
  constructor(message: string) {
    super('LOCATOR_NOT_FOUND', message);
  }
}

/** The installed app is not the version the profile expects. */
export class AppVersionError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('APP_VERSION', message, options);
  }
}

/** A screen did not show an action's result in time. */
export class ScreenTimeoutError extends HarnessError {
  constructor(message: string) {
    super('SCREEN_TIMEOUT', message);
  }
}

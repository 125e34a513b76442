/**
 * WebdriverIO configuration for the Appium suites. The suites that drive the
 * eStock app through Appium are not written yet; until then this file only
 * states where they will live and which reporter they will use, so that it
 * loads and typechecks. Scenarios already run without Appium: `npm start`.
 */

/** The part of WebdriverIO's configuration this project sets. */
export interface HarnessWdioConfig {
  runner: 'local';
  specs: string[];
  maxInstances: number;
  capabilities: Record<string, unknown>[];
  framework: 'mocha';
  reporters: string[];
  mochaOpts: { timeout: number };
}

export const config: HarnessWdioConfig = {
  runner: 'local',
  specs: ['./scenarios/appium/**/*.spec.ts'],
  maxInstances: 1,
  capabilities: [],
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { timeout: 120_000 },
};

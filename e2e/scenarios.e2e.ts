/**
 * Every scenario file as a mocha test on this worker's device: the same
 * runScenario as `estock-hil run`, its devices reached through Appium, each
 * step an Allure step. A scenario that fails (the app did not do what it
 * expects) fails its test; one the harness could not run is broken.
 */
import { join } from 'node:path';
import { attachment, description, label, parameter } from 'allure-js-commons';
import { browser } from '@wdio/globals';
import { defaultScenarioName, loadScenario } from '../scenarios/runner/load.ts';
import type { ScenarioResult } from '../scenarios/runner/result.ts';
import { runScenario } from '../scenarios/runner/run-scenario.ts';
import { createNewFolder } from '../scenarios/runner/run-suite.ts';
import { allureStepWrapper } from './allure-steps.ts';
import { workerDriverFactory } from './appium-devices.ts';
import { readE2eRun, slotLabel, suiteTitle, workerSlot } from './e2e-run.ts';
import { scenarioTitle, selectScenarioFiles } from './scenario-selection.ts';
import { brokenBeforeStepsEvidence } from './session-evidence.ts';
import { slotFolderName, slotProfile } from './slot-profile.ts';
import { HarnessBrokenError, scenarioVerdict, withoutVerdictWords } from './verdict.ts';

const run = readE2eRun();
const slot = workerSlot(run);
const profile = slotProfile(slot);
const device = slotLabel(slot);
const slotFolder = join(run.reportsFolder, slotFolderName(slot));

async function runFile(file: string): Promise<ScenarioResult> {
  // Two files of one name (a/x.yaml, b/x.yaml) get folders of their own, as in estock-hil run.
  const folder = createNewFolder(join(slotFolder, defaultScenarioName(file)));
  let scenario;
  try {
    scenario = loadScenario(file);
  } catch (error) {
    throw new HarnessBrokenError(withoutVerdictWords(`${file} does not load: ${(error as Error).message}`));
  }
  await description(scenario.description);
  return runScenario(scenario, {
    folder,
    openDriver: workerDriverFactory({ slot, profile, browser }, scenario.setup.devices[0]!),
    wrapStep: allureStepWrapper(),
    simulatorAddress: {
      listen: profile.simulator.listen, advertised: profile.simulator.host, passiveHost: profile.simulator.passiveHost,
    },
  });
}

// The device is in the suite's title so that Allure keeps one result per device, not retries of one.
describe(suiteTitle(slot), () => {
  for (const file of selectScenarioFiles(run.scenarios)) {
    it(scenarioTitle(file), async () => {
      await parameter('device', device);
      await label('device', device);
      await label('profile', profile.name);
      const result = await runFile(file);
      await attachment('result.json', JSON.stringify(result, null, 2), 'application/json');
      for (const evidence of await brokenBeforeStepsEvidence(result, browser, device)) {
        await attachment(evidence.name, evidence.content, evidence.type);
      }
      const verdict = scenarioVerdict(result);
      if (verdict !== undefined) throw verdict;
    });
  }
});

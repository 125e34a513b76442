/**
 * The Allure side of a scenario run: each scenario step becomes an Allure
 * step named "3. device.receive on Tab001: received 52 tables, ...", with
 * what it exchanged attached (step-evidence.ts) and, when it does not pass, a
 * screenshot and the page source of the Appium devices it concerns. The
 * runner knows nothing of Allure: this is its step wrapper.
 */
import { attachment, logStep, Status, step } from 'allure-js-commons';
import type { DeviceDriver } from '../devices/device-driver.ts';
import type { StepResult } from '../scenarios/runner/result.ts';
import type { StepScope, StepWrapper } from '../scenarios/runner/run-scenario.ts';
import type { Step } from '../scenarios/runner/schema.ts';
import { watchSessions } from './ftp-sessions.ts';
import { stepEvidence, type Evidence } from './step-evidence.ts';
import { stepVerdict } from './verdict.ts';

/** A driver that can show its screen: what an Appium device adds to a DeviceDriver. */
interface ScreenDriver extends DeviceDriver {
  screenshot(): Promise<Buffer | string>;
  pageSource(): Promise<string>;
}

/** `3. device.receive on Tab001`: the step's number, action and device. */
export function stepTitle(step: Step): string {
  const device = step.body.device;
  return `${step.index + 1}. ${step.action}${device === undefined ? '' : ` on ${device}`}`;
}

/**
 * A step wrapper for one scenario (make one per scenario): reports each step
 * as an Allure step, passed, failed or broken as the step; the steps after
 * one that did not pass show as skipped.
 */
export function allureStepWrapper(): StepWrapper {
  let earlierDidNotPass = false;
  return async (scenarioStep, run, scope) => {
    const title = stepTitle(scenarioStep);
    if (earlierDidNotPass) {
      const result = await run();
      await logStep(`${title}: ${result.summary}`, Status.SKIPPED);
      return result;
    }
    const result = await reportedStep(scenarioStep, title, run, scope);
    earlierDidNotPass = result.status !== 'passed';
    return result;
  };
}

async function reportedStep(scenarioStep: Step, title: string, run: () => Promise<StepResult>,
  scope: StepScope): Promise<StepResult> {
  let result: StepResult | undefined;
  try {
    await step(title, async (context) => {
      const sessions = watchSessions(scope.simulator.ftp);
      let records;
      try {
        result = await run();
      } finally {
        records = await sessions.stop();
      }
      await context.displayName(`${title}: ${result.summary}`);

      const companyRoot = scope.simulator.ftp.companyRoot(scope.simulator.company.name);
      await attachAll(await stepEvidence({ result, records, companyRoot }));
      const verdict = stepVerdict(result);
      if (verdict === undefined) return;
      await attachAll(await screenEvidence(scope.drivers, scenarioStep.body.device));
      throw verdict;
    });
  } catch (error) {
    // The step's own verdict, thrown for Allure to mark the step; the runner has the result.
    if (result === undefined) throw error;
  }
  return result!;
}

async function attachAll(evidence: readonly Evidence[]): Promise<void> {
  for (const item of evidence) await attachment(item.name, item.content, item.type);
}

/**
 * The screenshot and page source of the step's device, or of every device
 * when the step acts on none (a BO step), for the drivers that have a screen.
 * A device that cannot show its screen says why, instead of hiding the step's own error.
 */
export async function screenEvidence(drivers: ReadonlyMap<string, DeviceDriver>,
  device: string | undefined): Promise<Evidence[]> {
  const evidence: Evidence[] = [];
  for (const [deviceId, driver] of drivers) {
    if (device !== undefined && deviceId !== device) continue;
    if (!hasScreen(driver)) continue;
    try {
      const png = await driver.screenshot();
      evidence.push({ name: `Screenshot of ${deviceId}`, type: 'image/png',
        content: typeof png === 'string' ? Buffer.from(png, 'base64') : png });
      const source = await driver.pageSource();
      evidence.push({ name: `Page source of ${deviceId}`, type: 'application/xml', content: source });
    } catch (error) {
      evidence.push({ name: `Screen of ${deviceId} not available`, type: 'text/plain',
        content: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return evidence;
}

function hasScreen(driver: DeviceDriver): driver is ScreenDriver {
  const candidate = driver as Partial<ScreenDriver>;
  return typeof candidate.screenshot === 'function' && typeof candidate.pageSource === 'function';
}

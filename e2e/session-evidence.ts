/**
 * The screen of a worker's session when a scenario broke before any of its
 * steps ran (a device that would not open, permission dialogs the locators
 * missed): no step attached a screenshot, so the scenario attaches the
 * session's own.
 */
import type { ScenarioResult } from '../scenarios/runner/result.ts';
import type { Evidence } from './step-evidence.ts';

/** A session that can show its screen: WebdriverIO's browser. */
export interface ScreenSession {
  takeScreenshot(): Promise<string>;
  getPageSource(): Promise<string>;
}

/**
 * The screenshot and page source of the worker's session for a scenario
 * broken before its first step; nothing for any other result. A session that
 * cannot show its screen (it ended) says why in a text attachment.
 */
export async function brokenBeforeStepsEvidence(result: ScenarioResult, session: ScreenSession,
  device: string): Promise<Evidence[]> {
  if (result.status !== 'broken' || result.steps.some((step) => step.status !== 'skipped')) return [];
  try {
    const png = Buffer.from(await session.takeScreenshot(), 'base64');
    const source = await session.getPageSource();
    return [
      { name: `Screenshot of ${device} (broken before its first step)`, type: 'image/png', content: png },
      { name: `Page source of ${device} (broken before its first step)`, type: 'application/xml', content: source },
    ];
  } catch (error) {
    return [{ name: `Screen of ${device} not available`, type: 'text/plain',
      content: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }];
  }
}

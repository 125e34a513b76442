/**
 * How a scenario's or a step's result becomes an error that the test
 * reports read right. Allure tells failed from broken by looking at the
 * error: @wdio/allure-reporter takes a test for failed when the error's name
 * holds "assert" or its message holds "expect"; allure-js-commons takes a
 * step for failed when the name or message holds "assert" (or the error has
 * `actual`/`expected`). So an unmet expectation about the app is an
 * AppAssertionError, and a fault of the harness a HarnessBrokenError whose
 * message has those two words broken by an invisible word joiner, so that a
 * message such as "Unexpected token" still reads as broken.
 */
import type { ScenarioResult, StepResult } from '../scenarios/runner/result.ts';

/** The app under test did not do what the scenario expects: Allure shows it as failed. */
export class AppAssertionError extends Error {
  override name = 'AppAssertionError';
}

/** The harness could not run the scenario (a bug, a server or session that would not start): broken. */
export class HarnessBrokenError extends Error {
  override name = 'HarnessBrokenError';
}

// U+2060 WORD JOINER: invisible, and keeps the word whole on screen.
const JOINER = '\u2060';

/** The text with every "expect" and "assert" (any case) broken by an invisible joiner after its first letter. */
export function withoutVerdictWords(text: string): string {
  return text.replace(/(e)(xpect)|(a)(ssert)/gi, (_word, e, xpect, a, ssert) =>
    e === undefined ? `${a}${JOINER}${ssert}` : `${e}${JOINER}${xpect}`);
}

/** The error a step that did not pass reports, or undefined for a step that passed or was not run. */
export function stepVerdict(result: StepResult): Error | undefined {
  if (result.status === 'passed' || result.status === 'skipped') return undefined;
  const message = result.error?.message ?? result.summary;
  return verdictError(result.status, message);
}

/** The error a scenario that did not pass reports: its first step that did not pass, and why. */
export function scenarioVerdict(result: ScenarioResult): Error | undefined {
  if (result.status === 'passed') return undefined;
  const step = result.steps.find((candidate) => candidate.status === result.status);
  const device = step?.device === undefined ? '' : ` on ${step.device}`;
  const line = step?.line === undefined ? '' : `, line ${step.line}`;
  const where = step === undefined
    ? `${result.name} ${result.status} before its first step`
    : `${result.name} ${result.status} at step ${step.number} (${step.action}${device}${line})`;
  return verdictError(result.status, `${where}: ${result.error?.message ?? 'no reason given'}`);
}

function verdictError(status: 'failed' | 'broken', message: string): Error {
  if (status === 'failed') return new AppAssertionError(message);
  return new HarnessBrokenError(withoutVerdictWords(message));
}

/**
 * Waiting for an asynchronous action's result: the status text is read until
 * it matches one of the map's result messages and the screen is no longer
 * busy. A text equal to the one shown before the action counts only once the
 * action was seen running (a progress bar, its button disabled), or after
 * STALE_RESULT_MS without any change, since an action may end before the
 * first read and repeat the same words.
 */
import { sleep } from '../finder.ts';
import { ScreenTimeoutError } from '../harness-errors.ts';
import type { ElementName, MessageName } from '../locator-map.ts';
import { textNow, type Screen } from './screen.ts';

/** How often the status text is read, in milliseconds. */
export const RESULT_POLL_MS = 200;

/** How long an unchanged result text must stay before it is taken as the new result, in milliseconds. */
export const STALE_RESULT_MS = 1500;

/** A result message read on the screen. */
export interface ResultText {
  message: MessageName;
  text: string;
  /** The named groups of the message's expression (absent groups are left out). */
  groups: Record<string, string>;
}

/** What to wait for. */
export interface ResultWait {
  /** The element holding the result text. */
  status: ElementName;
  /** The messages that are a result. */
  messages: MessageName[];
  /** The text shown before the action started. */
  before: string | undefined;
  /** Elements present only while the action runs (a progress bar). */
  busy?: ElementName[];
  /** An element disabled while the action runs (its button). */
  disabledWhileBusy?: ElementName;
  /** What is awaited, for the timeout's message: `the receive's result`. */
  what: string;
}

/** Matches a text against messages of the screen's map; undefined when none matches. */
export function matchMessage(screen: Screen, text: string, messages: MessageName[]): ResultText | undefined {
  for (const message of messages) {
    const expression = screen.finder.map.messages.get(message);
    const match = expression?.exec(text.trim());
    if (match) return { message, text: text.trim(), groups: definedGroups(match.groups) };
  }
  return undefined;
}

/** Reads the status until it shows a result (see the top of this file); throws ScreenTimeoutError. */
export async function waitForResult(
  screen: Screen,
  wait: ResultWait,
  timeoutMs = screen.actionMs,
): Promise<ResultText> {
  const started = Date.now();
  let wasBusy = false;
  let last: string | undefined;
  let unchangedSince = started;
  while (Date.now() - started < timeoutMs) {
    const isBusy = await isRunning(screen, wait);
    wasBusy ||= isBusy;
    const text = await textNow(screen, wait.status);
    if (text !== last) unchangedSince = Date.now();
    last = text;
    const result = text === undefined || isBusy ? undefined : matchMessage(screen, text, wait.messages);
    const isNew = text !== wait.before || wasBusy || Date.now() - unchangedSince >= STALE_RESULT_MS;
    if (result !== undefined && isNew) return result;
    await sleep(RESULT_POLL_MS);
  }
  throw new ScreenTimeoutError(`${wait.what}: no result message (${wait.messages.join(', ')}) in ` +
    `${wait.status} within ${timeoutMs} ms; it last read ${JSON.stringify(last ?? null)}`);
}

async function isRunning(screen: Screen, wait: ResultWait): Promise<boolean> {
  if (wait.busy !== undefined && await screen.finder.once(...wait.busy) !== undefined) return true;
  if (wait.disabledWhileBusy === undefined) return false;
  const button = await screen.finder.once(wait.disabledWhileBusy);
  return button !== undefined && !await button.element.isEnabled().catch(() => true);
}

function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(groups ?? {}).filter((entry): entry is [string, string] =>
    entry[1] !== undefined));
}

/**
 * The settings screen (« Paramètres », top right of the synchronisation
 * screen): each preference is set through its edit dialog, and « Test FTP »,
 * below the fold, is reached by scrolling.
 */
import { DeviceError } from '../../../simulator/errors.ts';
import { sleep } from '../finder.ts';
import { waitForResult } from './result-text.ts';
import { back, swipe, tap, textNow, type Screen, type as typeInto } from './screen.ts';
import { showSync } from './sync.ts';

/** The preferences the harness sets, by logical name. */
export type PreferenceName =
  'settings.deviceId' | 'settings.ftpUser' | 'settings.ftpPassword' | 'settings.ftpHost' | 'settings.ftpPort' |
  'settings.login';

/** How many swipes are tried to bring « Test FTP » into view when scrollIntoView does not. */
const MAX_SWIPES = 4;

/** How long a dialog takes to close or show its error after OK, at most, in milliseconds. */
const DIALOG_CLOSE_MS = 5000;

/** Opens the settings from the synchronisation screen. */
export async function openSettings(screen: Screen): Promise<void> {
  await showSync(screen);
  await tap(screen, 'settings.open');
  await screen.finder.firstOf(['settings.deviceId', 'settings.testFtp']);
  await scrollToTop(screen);
}

/**
 * Sets one preference through its dialog. When the app refuses the value the
 * dialog stays open with the reason: it is left open, for the evidence, and
 * DeviceError is thrown with the app's words; the next action's showSync
 * closes it with back (which cancels it: the value is not kept).
 */
export async function setPreference(screen: Screen, name: PreferenceName, value: string): Promise<void> {
  const { finder } = screen;
  await tap(screen, name);
  await typeInto(screen, 'dialog.edit', value);
  await tap(screen, 'dialog.ok');
  const deadline = Date.now() + DIALOG_CLOSE_MS;
  while (Date.now() < deadline) {
    const reason = await textNow(screen, 'dialog.message');
    if (reason !== undefined) throw new DeviceError(reason);
    if (await finder.once('dialog.edit') === undefined) return;
    await sleep(100);
  }
  throw new Error(`the dialog of ${name} neither closed nor showed an error within ${DIALOG_CLOSE_MS} ms after OK`);
}

/** Brings « Test FTP » into view: UiScrollable's scrollIntoView, else swipes. Returns the element. */
export async function scrollToTestFtp(screen: Screen): Promise<WebdriverIO.Element> {
  const { finder } = screen;
  const shown = await finder.once('settings.testFtp') ?? await finder.once('settings.testFtpScroll');
  if (shown !== undefined) return (await finder.once('settings.testFtp'))?.element ?? shown.element;
  for (let swipes = 0; swipes < MAX_SWIPES; swipes += 1) {
    await swipe(screen, 'up');
    const found = await finder.once('settings.testFtp');
    if (found !== undefined) return found.element;
  }
  return finder.find('settings.testFtp');
}

/** Brings the top of the settings back into view. */
export async function scrollToTop(screen: Screen): Promise<void> {
  for (let swipes = 0; swipes < MAX_SWIPES; swipes += 1) {
    if (await screen.finder.once('settings.deviceId') !== undefined) return;
    await swipe(screen, 'down');
  }
}

/** What « Test FTP » showed. */
export interface FtpTestScreenResult {
  ok: boolean;
  message: string;
}

/**
 * Runs « Test FTP » from the settings. A success closes its dialog (the
 * settings stay open); a failure leaves the dialog on the screen, so that the
 * evidence of a step expecting success shows it: the next action's showSync
 * closes it with back.
 */
export async function runFtpTest(screen: Screen): Promise<FtpTestScreenResult> {
  await (await scrollToTestFtp(screen)).click();
  const title = await waitForResult(screen, {
    status: 'dialog.title', messages: ['ftpTest.succeeded', 'ftpTest.failed'], before: undefined,
    what: 'the « Test FTP » dialog',
  });
  const message = await textNow(screen, 'dialog.message') ?? '';
  const ok = title.message === 'ftpTest.succeeded';
  if (ok) await tap(screen, 'dialog.ok');
  screen.log('%s: %s', title.text, message);
  return { ok, message };
}

/** Leaves the settings for the synchronisation screen. */
export async function closeSettings(screen: Screen): Promise<void> {
  const up = await screen.finder.once('settings.back');
  if (up !== undefined) await up.element.click();
  else await back(screen);
  await showSync(screen);
}

/** The preferences in the order they are typed, with the value each takes. */
export function preferenceValues(values: {
  deviceId: string; user: string; password: string; host: string; port: number; login?: string;
}): [PreferenceName, string][] {
  return [
    ['settings.deviceId', values.deviceId],
    ['settings.ftpUser', values.user],
    ['settings.ftpPassword', values.password],
    ['settings.ftpHost', values.host],
    ['settings.ftpPort', String(values.port)],
    ['settings.login', values.login ?? ''],
  ];
}

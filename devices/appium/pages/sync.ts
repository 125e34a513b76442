/**
 * The synchronisation screen, the one the app opens on: receive and send,
 * the pending count, and the ways to the other screens (settings top right,
 * the overflow menu, stock, movement entry).
 */
import { DeviceError } from '../../../simulator/errors.ts';
import { waitForResult, matchMessage, type ResultText } from './result-text.ts';
import { back, tap, textNow, type Screen } from './screen.ts';

/**
 * How many times back is pressed to come back to the synchronisation screen:
 * enough for a keyboard, a dialog left open on a refusal, and the screen under it.
 */
const MAX_BACKS = 5;

/** How long each look for the synchronisation screen lasts while coming back to it, in milliseconds. */
const BACK_LOOK_MS = 1500;

/**
 * Makes sure the synchronisation screen shows, pressing back (a dialog, the
 * browser, another screen) until it does, and bringing the app back to the
 * foreground when back took it to the home screen. Throws
 * LocatorNotFoundError when it never shows.
 */
export async function showSync(screen: Screen): Promise<void> {
  const { finder } = screen;
  for (let backs = 0; backs < MAX_BACKS; backs += 1) {
    if (await finder.waitFor(['sync.receive'], BACK_LOOK_MS) !== undefined) return;
    if (screen.appPackage !== undefined && await isInBackground(screen, screen.appPackage)) break;
    await back(screen);
  }
  if (screen.appPackage !== undefined) {
    screen.log('bringing %s back to the foreground', screen.appPackage);
    await finder.browser.execute('mobile: activateApp', { appId: screen.appPackage });
  }
  await finder.find('sync.receive');
}

/** Android's app state 4 is « running in the foreground ». */
const FOREGROUND = 4;

async function isInBackground(screen: Screen, appId: string): Promise<boolean> {
  const state = await screen.finder.browser.execute('mobile: queryAppState', { appId }).catch(() => FOREGROUND);
  return state !== FOREGROUND;
}

/** The receive action's result; throws DeviceError with the app's words on « Échec de la réception ». */
export async function receiveOnSync(screen: Screen): Promise<ResultText> {
  return runSyncAction(screen, 'sync.receive', ['sync.received', 'sync.receiveFailed'], 'sync.receiveFailed');
}

/** The send action's result; throws DeviceError with the app's words on « Échec de l'envoi ». */
export async function sendOnSync(screen: Screen): Promise<ResultText> {
  return runSyncAction(screen, 'sync.send', ['sync.sent', 'sync.nothingToSend', 'sync.sendFailed'],
    'sync.sendFailed');
}

/** The number « Mouvements à envoyer » shows, or undefined when the screen does not show it. */
export async function pendingOnSync(screen: Screen): Promise<number | undefined> {
  const text = await textNow(screen, 'sync.pending');
  const count = text === undefined ? undefined : matchMessage(screen, text, ['sync.pendingCount'])?.groups.count;
  return count === undefined ? undefined : Number(count);
}

/** Opens « Mise à jour de l'application » from the overflow menu and returns the address the browser shows. */
export async function openAppUpdate(screen: Screen): Promise<string> {
  await showSync(screen);
  await tap(screen, 'menu.more');
  await tap(screen, 'menu.appUpdate');
  const url = await (await screen.finder.find('browser.url')).getText();
  screen.log('app update opened the browser at %s', url);
  await back(screen);
  await showSync(screen);
  return url;
}

async function runSyncAction(
  screen: Screen,
  button: 'sync.receive' | 'sync.send',
  messages: ResultText['message'][],
  failure: ResultText['message'],
): Promise<ResultText> {
  await showSync(screen);
  const before = await textNow(screen, 'sync.status');
  const started = Date.now();
  await tap(screen, button);
  const result = await waitForResult(screen, {
    status: 'sync.status', messages, before, busy: ['sync.progress'], disabledWhileBusy: button,
    what: `${button}'s result`,
  });
  screen.log('%s: %s (%d ms on the screen)', button, result.text, Date.now() - started);
  if (result.message === failure) throw new DeviceError(result.text);
  return result;
}

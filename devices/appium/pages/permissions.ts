/**
 * The permission dialogs Android shows at the app's first launch (photos,
 * camera): each is allowed, whatever their number, and none at all is fine
 * (permissions granted at install, or kept from an earlier session).
 */
import { sleep } from '../finder.ts';
import { textNow, type Screen } from './screen.ts';

/** At most this many dialogs are answered, so that a dialog that never goes away cannot loop forever. */
const MAX_DIALOGS = 6;

/** How long the next dialog may take to show once one is answered, in milliseconds. */
const NEXT_DIALOG_MS = 500;

/** How long an answered dialog may take to go away, in milliseconds. */
const DIALOG_GONE_MS = 2000;

/**
 * Waits for the app's first screen or a permission dialog, allows every
 * dialog shown and returns how many were answered; `beforeAnswer` is called
 * with each dialog's number (from 1) while it shows. Throws
 * LocatorNotFoundError when neither a dialog nor the synchronisation screen
 * shows within the find timeout.
 */
export async function answerPermissionDialogs(
  screen: Screen,
  beforeAnswer?: (dialog: number) => Promise<void>,
): Promise<number> {
  const { finder } = screen;
  await finder.firstOf(['permission.allow', 'sync.receive']);
  let answered = 0;
  while (answered < MAX_DIALOGS) {
    const dialog = await finder.once('permission.allow') ?? await finder.waitFor(['permission.allow'], NEXT_DIALOG_MS);
    if (dialog === undefined) break;
    const question = await textNow(screen, 'permission.message');
    screen.log('permission dialog %d: %s', answered + 1, question ?? '(no text)');
    await beforeAnswer?.(answered + 1);
    await dialog.element.click();
    answered += 1;
    await dialogGone(screen, question);
  }
  return answered;
}

/** Waits until the dialog that asked `question` is gone: no dialog, or another question. */
async function dialogGone(screen: Screen, question: string | undefined): Promise<void> {
  const deadline = Date.now() + DIALOG_GONE_MS;
  while (Date.now() < deadline) {
    if (await screen.finder.once('permission.allow') === undefined) return;
    const now = await textNow(screen, 'permission.message');
    if (question !== undefined && now !== question) return;
    await sleep(100);
  }
}

/**
 * The permission dialogs Android shows at the app's first launch (photos,
 * camera): each is allowed, whatever their number, and none at all is fine
 * (permissions granted at install, or kept from an earlier session).
 */
import { sleep } from '../finder.ts';
import type { Screen } from './screen.ts';

/** At most this many dialogs are answered, so that a dialog that never goes away cannot loop forever. */
const MAX_DIALOGS = 6;

/** How long a dialog may take to follow the previous one, or the app's screen, in milliseconds. */
const NEXT_DIALOG_MS = 700;

/**
 * Waits for the app's first screen or a permission dialog, allows every
 * dialog shown and returns how many were answered. Throws
 * LocatorNotFoundError when neither a dialog nor the synchronisation screen
 * shows within the find timeout.
 */
export async function answerPermissionDialogs(screen: Screen): Promise<number> {
  const { finder } = screen;
  let answered = 0;
  await finder.firstOf(['permission.allow', 'sync.receive']);
  while (answered < MAX_DIALOGS) {
    const dialog = await finder.once('permission.allow');
    if (dialog === undefined) {
      await sleep(NEXT_DIALOG_MS);
      if (await finder.once('permission.allow') === undefined) break;
      continue;
    }
    const question = await finder.once('permission.message');
    screen.log('permission dialog %s: %s', answered + 1, question ? await question.element.getText() : '(no text)');
    await dialog.element.click();
    answered += 1;
    await finder.waitGone(['permission.allow'], NEXT_DIALOG_MS);
  }
  return answered;
}

/**
 * The virtual eStock app as a small state machine: which screen is open,
 * which dialog or popup lies over it, what each form holds, and the actions
 * behind the buttons, which call the virtual device for real. The screens
 * (../screens) draw it; the driver reads and clicks what they draw.
 */
import type { FtpTestResult, VirtualDevice } from '../../../device/index.ts';
import { logger } from '../../../log.ts';
import type { AppFile } from '../app-file.ts';
import type { PermissionAnswer, PermissionName } from '../app-install.ts';
import { FormProblem, MovementForm, recordedStatus } from './movement-form.ts';
import { Preferences, type PreferenceKey } from './preferences.ts';
import { failedStatus, receivedStatus, sentStatus } from './sync-messages.ts';

/** The app's screens, and the browser « Mise à jour de l'application » opens. */
export type ScreenName = 'sync' | 'settings' | 'stock' | 'movement' | 'browser';

/** What lies over the screen: a permission dialog, a popup or a dialog of the settings. */
export type Overlay =
  | { kind: 'permission'; permission: PermissionName }
  | { kind: 'menu' }
  | { kind: 'edit'; preference: PreferenceKey; value: string; message?: string }
  | { kind: 'ftp-test'; result: FtpTestResult }
  | { kind: 'type-popup' };

/** Android's app states, as `mobile: queryAppState` numbers them. */
export const APP_STATE = { notRunning: 1, background: 3, foreground: 4 } as const;

/** What the app needs from its install: the permissions to ask for and where answers go. */
export interface PermissionStore {
  unanswered(): PermissionName[];
  answer(permission: PermissionName, answer: PermissionAnswer): void;
}

/** A scroll list's viewport height and content height, in pixels, as last drawn. */
export interface ListExtent {
  viewport: number;
  content: number;
}

/** The app running on the virtual device. */
export class VirtualApp {
  readonly appFile: AppFile;
  readonly device: VirtualDevice;
  readonly preferences: Preferences;
  readonly movement = new MovementForm();
  /** Bumped at each change of window (screen, dialog, popup): older elements are then stale. */
  generation = 0;
  state: number = APP_STATE.notRunning;
  screens: ScreenName[] = ['sync'];
  overlay: Overlay | undefined;
  keyboardIsShown = false;
  focusedKey: string | undefined;
  running: 'receive' | 'send' | undefined;
  ftpTestIsRunning = false;
  syncStatus = '';
  movementStatus = '';
  stockSearch = '';
  readonly scrollOffsets = new Map<string, number>();
  readonly listExtents = new Map<string, ListExtent>();
  readonly #permissions: PermissionStore;
  readonly #answeredThisLaunch = new Set<PermissionName>();
  readonly #work = new Set<Promise<void>>();
  readonly #log: (format: string, ...args: unknown[]) => void;

  constructor(appFile: AppFile, device: VirtualDevice, preferences: Preferences, permissions: PermissionStore,
    udid: string) {
    this.appFile = appFile;
    this.device = device;
    this.preferences = preferences;
    this.#permissions = permissions;
    this.#log = logger('hil:appium', `driver ${udid}`);
  }

  /** The screen on top of the stack. */
  get screen(): ScreenName {
    return this.screens.at(-1) ?? 'sync';
  }

  /** Starts the app on the synchronisation screen, or brings it back to the foreground. */
  launch(): void {
    if (this.state === APP_STATE.foreground) return;
    if (this.state === APP_STATE.notRunning) {
      this.screens = ['sync'];
      this.overlay = undefined;
      this.scrollOffsets.clear();
      this.#answeredThisLaunch.clear();
      this.#askNextPermission();
    }
    this.state = APP_STATE.foreground;
    this.#windowChanged();
    this.#log('launched on %s', this.screen);
  }

  /** Stops the app (`terminateApp`, `clearApp`): the next launch starts afresh. */
  terminate(): void {
    this.state = APP_STATE.notRunning;
    this.overlay = undefined;
    this.#windowChanged();
  }

  /** Waits for the FTP actions under way, e.g. before the device is closed. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#work]);
  }

  /** Android's back key: hides the keyboard, closes what lies on top, or leaves the app for the home screen. */
  back(): void {
    if (this.state !== APP_STATE.foreground) return;
    if (this.keyboardIsShown) {
      this.keyboardIsShown = false;
      return;
    }
    if (this.overlay?.kind === 'permission') return;
    if (this.overlay !== undefined) this.overlay = undefined;
    else if (this.screens.length > 1) this.screens.pop();
    else this.state = APP_STATE.background;
    this.#windowChanged();
  }

  /** Opens a screen over the current one, closing any popup. */
  open(screen: ScreenName): void {
    this.overlay = undefined;
    this.screens.push(screen);
    this.#windowChanged();
  }

  /** Shows a popup or dialog over the screen, or none. */
  show(overlay: Overlay | undefined): void {
    this.overlay = overlay;
    this.#windowChanged();
  }

  /** Answers the permission dialog on screen and shows the next, if any. */
  answerPermission(permission: PermissionName, answer: PermissionAnswer): void {
    this.#permissions.answer(permission, answer);
    this.#answeredThisLaunch.add(permission);
    this.overlay = undefined;
    this.#askNextPermission();
    this.#windowChanged();
  }

  /** « Recevoir les données »: starts the receive and returns at once. */
  startReceive(): void {
    this.#runSync('receive', async () => receivedStatus(await this.device.receive()));
  }

  /** « Envoyer les données »: starts the send and returns at once. */
  startSend(): void {
    this.#runSync('send', async () => sentStatus(await this.device.send()));
  }

  /** « Test FTP »: starts the test; its dialog opens when it is done, if the settings are still on screen. */
  startFtpTest(): void {
    if (this.ftpTestIsRunning) return;
    this.ftpTestIsRunning = true;
    // The device refuses a test before it is configured: the app shows that as a failed test, as for FTP errors.
    const test = Promise.resolve().then(() => this.device.testFtp()).catch((error: unknown) =>
      ({ ok: false, message: error instanceof Error ? error.message : String(error), ms: 0 }));
    this.#track(test.then((result) => {
      this.#log('FTP test %s in %d ms: %s', result.ok ? 'passed' : 'failed', result.ms, result.message);
      if (this.state === APP_STATE.foreground && this.screen === 'settings' && this.overlay === undefined) {
        this.show({ kind: 'ftp-test', result });
      }
    }).finally(() => {
      this.ftpTestIsRunning = false;
    }));
  }

  /** OK of a preference's dialog: keeps the dialog open with the reason if the value is refused. */
  confirmPreference(): void {
    if (this.overlay?.kind !== 'edit') return;
    const problem = this.preferences.change(this.overlay.preference, this.overlay.value, this.device);
    if (problem === undefined) {
      this.keyboardIsShown = false;
      this.show(undefined);
    } else {
      this.overlay = { ...this.overlay, message: problem };
      this.#log('preference %s refused: %s', this.overlay.preference, problem);
    }
  }

  /** « Enregistrer »: records the movement on the device and empties the form, or says why not. */
  saveMovement(): void {
    try {
      const movement = this.device.move(this.movement.toInput());
      this.movementStatus = recordedStatus(movement);
      this.movement.empty();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.movementStatus = `Mouvement refusé : ${reason}`;
      if (!(error instanceof FormProblem)) this.#log('movement refused: %s', reason);
    }
  }

  /** Scrolls a list by `pixels` (positive: towards its end), within its bounds; returns how far it moved. */
  scroll(listId: string, pixels: number): number {
    const extent = this.listExtents.get(listId);
    const before = this.scrollOffsets.get(listId) ?? 0;
    const most = extent === undefined ? 0 : Math.max(0, extent.content - extent.viewport);
    const after = Math.min(most, Math.max(0, before + pixels));
    this.scrollOffsets.set(listId, after);
    return after - before;
  }

  #runSync(action: 'receive' | 'send', work: () => Promise<string>): void {
    if (this.running !== undefined) return;
    this.running = action;
    this.#log('%s started', action);
    this.#track(work().then((status) => {
      this.syncStatus = status;
    }, (error: unknown) => {
      this.syncStatus = failedStatus(action, error);
    }).finally(() => {
      this.running = undefined;
      this.#log('%s done: %s', action, this.syncStatus);
    }));
  }

  #track(work: Promise<void>): void {
    // A rejection here is a bug of the app model; it is logged, never left to bring the Appium server down.
    const settled = work.catch((error: unknown) => this.#log('background work failed: %O', error));
    this.#work.add(settled);
    void settled.finally(() => this.#work.delete(settled));
  }

  #askNextPermission(): void {
    const permission = this.#permissions.unanswered().find((name) => !this.#answeredThisLaunch.has(name));
    this.overlay = permission === undefined ? undefined : { kind: 'permission', permission };
  }

  #windowChanged(): void {
    this.generation++;
    this.keyboardIsShown = false;
    this.focusedKey = undefined;
  }
}

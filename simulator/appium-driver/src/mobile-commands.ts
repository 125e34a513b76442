/**
 * The `mobile:` commands of the virtual app: clearApp, activateApp,
 * terminateApp, queryAppState, and shell, which knows only
 * `dumpsys package <package>` and answers it as Android does; and our own
 * estockSyncSettings (sync-settings-command.ts).
 */
import { errors } from '@appium/base-driver';
import type { AppSession } from './app-session.ts';
import { APP_STATE, type ScreenName, type VirtualApp } from './app/virtual-app.ts';
import { SYNC_SETTING_PARAMS } from './sync-settings-command.ts';

/** The `mobile:` commands, as BaseDriver's executeMethod finds them on the driver. */
export const MOBILE_COMMANDS = {
  'mobile: clearApp': { command: 'mobileClearApp', params: { required: ['appId'] } },
  'mobile: activateApp': { command: 'mobileActivateApp', params: { required: ['appId'] } },
  'mobile: terminateApp': { command: 'mobileTerminateApp', params: { required: ['appId'] } },
  'mobile: queryAppState': { command: 'mobileQueryAppState', params: { required: ['appId'] } },
  'mobile: shell': { command: 'mobileShell', params: { required: ['command'], optional: ['args', 'timeout'] } },
  'mobile: getCurrentActivity': { command: 'mobileGetCurrentActivity' },
  'mobile: getCurrentPackage': { command: 'mobileGetCurrentPackage' },
  'mobile: estockSyncSettings': { command: 'mobileEstockSyncSettings', params: { optional: SYNC_SETTING_PARAMS } },
} as const;

/** The activity each screen of the app stands for (ours: the real app's are unknown). */
const SCREEN_ACTIVITIES: Readonly<Record<ScreenName, string>> = {
  sync: '.SynchronisationActivity',
  settings: '.SettingsActivity',
  stock: '.StockActivity',
  movement: '.MovementActivity',
  browser: 'org.chromium.chrome.browser.ChromeTabbedActivity',
};

/**
 * The activity on top, as `mobile: getCurrentActivity` names it: the
 * screen's, the permission dialog's, or the launcher's when the app is not in
 * the foreground.
 */
export function currentActivity(app: VirtualApp): string {
  if (app.state !== APP_STATE.foreground) return '.NexusLauncherActivity';
  if (app.overlay?.kind === 'permission') return '.permission.ui.GrantPermissionsActivity';
  return SCREEN_ACTIVITIES[app.screen];
}

/** The name of a `mobile:` command without its prefix. */
export type MobileCommandName = 'clearApp' | 'activateApp' | 'terminateApp' | 'queryAppState';

/** Android's state number for an app that is not installed. */
const NOT_INSTALLED = 0;

function isOurs(session: AppSession, appId: unknown): boolean {
  return session.install.installed?.package === appId;
}

/**
 * Runs an app command on the session's app. Another package than the
 * installed one is not installed: its state is 0, activating it fails.
 */
export async function runAppCommand(session: AppSession, name: MobileCommandName, appId: unknown):
  Promise<unknown> {
  if (typeof appId !== 'string' || appId === '') {
    throw new errors.InvalidArgumentError(`mobile: ${name} needs an appId, e.g. "${session.appFile.package}"`);
  }
  if (!isOurs(session, appId)) {
    if (name === 'queryAppState') return NOT_INSTALLED;
    if (name === 'terminateApp') return false;
    throw new errors.InvalidArgumentError(`mobile: ${name}: ${appId} is not installed on virtual device ` +
      `${session.options.udid} (only ${session.appFile.package} is)`);
  }
  const { app } = session;
  switch (name) {
    case 'clearApp':
      app.terminate();
      await session.clearData();
      return true;
    case 'activateApp':
      app.launch();
      return undefined;
    case 'terminateApp': {
      const wasRunning = app.state !== APP_STATE.notRunning;
      app.terminate();
      return wasRunning;
    }
    case 'queryAppState':
      return app.state;
  }
}

/**
 * `mobile: shell`: `dumpsys package <package>` only, as `{ command: 'dumpsys',
 * args: ['package', '<package>'] }` or in one string; anything else is
 * refused with UnsupportedOperationError.
 */
export function runShell(session: AppSession, command: unknown, args: unknown): string {
  const words = [String(command ?? ''), ...(Array.isArray(args) ? args.map(String) : [])]
    .join(' ').trim().split(/\s+/);
  const [program, section, packageName, ...rest] = words;
  if (program !== 'dumpsys' || section !== 'package' || packageName === undefined || rest.length > 0) {
    throw new errors.UnsupportedOperationError(`mobile: shell ${JSON.stringify(words.join(' '))} is not ` +
      'simulated; the virtual device answers only "dumpsys package <package>"');
  }
  const installed = session.install.installed;
  if (installed?.package !== packageName) return `Unable to find package: ${packageName}\n`;
  return [
    'Packages:',
    `  Package [${packageName}] (5f3c2a1):`,
    '    userId=10187',
    `    pkg=Package{5f3c2a1 ${packageName}}`,
    `    versionCode=${installed.versionCode} minSdk=${session.appFile.minSdk} ` +
      `targetSdk=${session.appFile.targetSdk}`,
    `    versionName=${installed.versionName}`,
    '',
  ].join('\n');
}

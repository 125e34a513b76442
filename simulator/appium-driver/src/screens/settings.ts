/** The settings screen (« Paramètres »): a scrollable list of preferences, and « Test FTP » below the fold. */
import { PREFERENCE_KEYS, PREFERENCE_TITLES, type PreferenceKey } from '../app/preferences.ts';
import type { VirtualApp } from '../app/virtual-app.ts';
import { box, type Bounds, type NodeSpec } from '../ui-node.ts';
import { appId, CONTENT_TOP_PX, scrollList, toolbar, windowRoot } from './widgets.ts';

/**
 * The height of a preference row, in pixels: six rows fill the list's 1720
 * pixels so that the seventh, « Test FTP », is below the fold.
 */
export const PREFERENCE_ROW_PX = 300;

function preferenceRow(key: string, title: string, summary: string, onClick: () => void) {
  return (bounds: Bounds): NodeSpec => ({
    className: 'android.widget.LinearLayout', key: `preference-${key}`, bounds, onClick,
    children: [
      { className: 'android.widget.TextView', id: 'android:id/title', text: title,
        bounds: box(bounds.left + 60, bounds.top + 80, 1000, 60) },
      { className: 'android.widget.TextView', id: 'android:id/summary', text: summary,
        bounds: box(bounds.left + 60, bounds.top + 160, 1000, 50) },
    ],
  });
}

function editPreference(app: VirtualApp, preference: PreferenceKey): void {
  app.show({ kind: 'edit', preference, value: app.preferences.value(preference) });
}

/** The settings screen of the app. */
export function settingsScreen(app: VirtualApp): NodeSpec {
  const rows = PREFERENCE_KEYS.map((key) => preferenceRow(key, PREFERENCE_TITLES[key], app.preferences.summary(key),
    () => editPreference(app, key)));
  rows.push(preferenceRow('ftp-test', 'Test FTP', app.ftpTestIsRunning ? 'Test FTP en cours…'
    : 'Cliquer pour effectuer un test de transfert FTP', () => app.startFtpTest()));
  return windowRoot([
    toolbar(app, 'Paramètres', { up: () => app.back() }),
    scrollList(app, { listId: 'settings', id: appId(app, 'recycler_view'), bounds: box(0, CONTENT_TOP_PX, 1200, 1720),
      rowHeight: PREFERENCE_ROW_PX, rows }),
  ]);
}

/** The windows outside the app: the browser « Mise à jour de l'application » opens, and the home screen. */
import type { VirtualApp } from '../app/virtual-app.ts';
import { box, type NodeSpec } from '../ui-node.ts';
import { label, windowRoot } from './widgets.ts';

/** Chrome showing the app file's portal page (its address only: nothing is fetched). */
export function browserScreen(app: VirtualApp): NodeSpec {
  return windowRoot([
    { className: 'android.widget.EditText', id: 'com.android.chrome:id/url_bar', text: app.appFile.portalUrl,
      bounds: box(0, 60, 1200, 140), focusable: true },
    { className: 'android.webkit.WebView', bounds: box(0, 200, 1200, 1720), children: [
      label('Mise à jour de l\'application eStock', box(40, 260, 1120, 80)),
    ] },
  ], undefined, 'com.android.chrome');
}

/** The home screen, when the app is stopped or in the background; its eStock icon starts the app. */
export function homeScreen(app: VirtualApp): NodeSpec {
  return windowRoot([
    { className: 'android.widget.TextView', desc: 'eStock', text: 'eStock', bounds: box(80, 1600, 200, 200),
      onClick: () => app.launch() },
  ], undefined, 'com.android.launcher3');
}

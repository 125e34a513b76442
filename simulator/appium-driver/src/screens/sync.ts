/** The synchronisation screen, the one the app opens on (docs/virtual-app.md, « Synchronisation »). */
import type { VirtualApp } from '../app/virtual-app.ts';
import { box, type NodeSpec } from '../ui-node.ts';
import { appId, button, label, toolbar, windowRoot } from './widgets.ts';

/** The synchronisation screen: receive, send, pending count, status, and the ways to the other screens. */
export function syncScreen(app: VirtualApp): NodeSpec {
  const idle = app.running === undefined;
  const actions: NodeSpec[] = [
    { className: 'android.widget.ImageButton', id: appId(app, 'action_settings'), desc: 'Paramètres',
      bounds: box(920, 60, 140, 140), onClick: () => app.open('settings') },
    { className: 'android.widget.ImageView', desc: "Plus d'options", bounds: box(1060, 60, 140, 140),
      onClick: () => app.show({ kind: 'menu' }) },
  ];
  const content: NodeSpec[] = [
    button(appId(app, 'sync_receive'), 'Recevoir les données', box(100, 260, 1000, 120),
      () => app.startReceive(), idle),
    button(appId(app, 'sync_send'), 'Envoyer les données', box(100, 420, 1000, 120), () => app.startSend(), idle),
    label(`Mouvements à envoyer : ${app.device.pendingMovements().length}`, box(100, 580, 1000, 60),
      appId(app, 'sync_pending')),
    label(app.syncStatus, box(100, 660, 1000, 180), appId(app, 'sync_status')),
    button(appId(app, 'open_stock'), 'Stock', box(100, 1000, 480, 120), () => app.open('stock'), idle),
    button(appId(app, 'open_movement'), 'Saisir un mouvement', box(620, 1000, 480, 120),
      () => app.open('movement'), idle),
  ];
  if (!idle) {
    content.push({ className: 'android.widget.ProgressBar', id: appId(app, 'sync_progress'),
      bounds: box(550, 860, 100, 100) });
  }
  return windowRoot([
    toolbar(app, 'Synchronisation', { actions }),
    { className: 'android.widget.LinearLayout', id: appId(app, 'content'), bounds: box(0, 200, 1200, 1720),
      children: content },
  ]);
}

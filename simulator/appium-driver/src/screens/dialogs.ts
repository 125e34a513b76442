/**
 * What opens over a screen: the permission dialogs, the overflow menu, a
 * preference's edit dialog, the Test FTP result and the Type spinner's popup.
 * Each is a window of its own; UiAutomator2 shows only the window on top.
 */
import { PREFERENCE_TITLES } from '../app/preferences.ts';
import { MOVEMENT_TYPES } from '../app/movement-form.ts';
import type { Overlay, VirtualApp } from '../app/virtual-app.ts';
import type { PermissionName } from '../app-install.ts';
import { box, type NodeSpec } from '../ui-node.ts';
import { button, editText, label, windowRoot } from './widgets.ts';

const PERMISSION_PACKAGE = 'com.google.android.permissioncontroller';
const PERMISSION_ID = 'com.android.permissioncontroller:id/';

const PERMISSION_MESSAGES: Readonly<Record<PermissionName, string>> = {
  media: 'Autoriser eStock à accéder aux photos et vidéos de cet appareil ?',
  camera: 'Autoriser eStock à prendre des photos et enregistrer des vidéos ?',
};

function permissionDialog(app: VirtualApp, permission: PermissionName): NodeSpec {
  const answer = (value: 'granted' | 'denied' | 'once') => () => app.answerPermission(permission, value);
  const choices: [string, string, () => void][] = permission === 'media'
    ? [['permission_allow_button', 'Autoriser', answer('granted')],
      ['permission_deny_button', 'Ne pas autoriser', answer('denied')]]
    : [['permission_allow_foreground_only_button', "Lorsque vous utilisez l'appli", answer('granted')],
      ['permission_allow_one_time_button', 'Uniquement cette fois-ci', answer('once')],
      ['permission_deny_button', 'Ne pas autoriser', answer('denied')]];
  return windowRoot([
    { className: 'android.widget.LinearLayout', id: `${PERMISSION_ID}grant_dialog`, bounds: box(150, 640, 900, 640),
      children: [
        label(PERMISSION_MESSAGES[permission], box(200, 700, 800, 160), `${PERMISSION_ID}permission_message`),
        ...choices.map(([id, text, onClick], i) => button(`${PERMISSION_ID}${id}`, text,
          box(200, 920 + i * 110, 800, 100), onClick)),
      ] },
  ], box(150, 640, 900, 640), PERMISSION_PACKAGE);
}

function overflowMenu(app: VirtualApp): NodeSpec {
  return windowRoot([
    { className: 'android.widget.ListView', bounds: box(700, 60, 480, 140), children: [
      { className: 'android.widget.LinearLayout', bounds: box(700, 60, 480, 140),
        onClick: () => app.open('browser'), children: [
          label("Mise à jour de l'application", box(740, 100, 420, 60), 'android:id/title'),
        ] },
    ] },
  ], box(700, 60, 480, 140));
}

function alertDialog(title: string, body: NodeSpec[], buttons: NodeSpec[]): NodeSpec {
  return windowRoot([
    { className: 'android.widget.LinearLayout', bounds: box(150, 640, 900, 560), children: [
      label(title, box(200, 680, 800, 70), 'android:id/alertTitle'),
      ...body,
      { className: 'android.widget.LinearLayout', bounds: box(150, 1080, 900, 120), children: buttons },
    ] },
  ], box(150, 640, 900, 560));
}

function editDialog(app: VirtualApp, overlay: Extract<Overlay, { kind: 'edit' }>): NodeSpec {
  const body: NodeSpec[] = [];
  if (overlay.message !== undefined) body.push(label(overlay.message, box(200, 760, 800, 160), 'android:id/message'));
  body.push(editText(app, 'android:id/edit', box(200, 940, 800, 100), {
    value: () => overlay.value,
    set: (value) => {
      overlay.value = value;
    },
  }, { password: overlay.preference === 'password' }));
  return alertDialog(PREFERENCE_TITLES[overlay.preference], body, [
    button('android:id/button2', 'Annuler', box(560, 1090, 220, 100), () => app.show(undefined)),
    button('android:id/button1', 'OK', box(800, 1090, 220, 100), () => app.confirmPreference()),
  ]);
}

function ftpTestDialog(app: VirtualApp, overlay: Extract<Overlay, { kind: 'ftp-test' }>): NodeSpec {
  return alertDialog(overlay.result.ok ? 'Test FTP réussi' : 'Test FTP échoué',
    [label(overlay.result.message, box(200, 760, 800, 300), 'android:id/message')],
    [button('android:id/button1', 'OK', box(800, 1090, 220, 100), () => app.show(undefined))]);
}

function typePopup(app: VirtualApp): NodeSpec {
  const bounds = box(40, 350, 540, MOVEMENT_TYPES.length * 110);
  return windowRoot([
    { className: 'android.widget.ListView', bounds, children: MOVEMENT_TYPES.map((choice, i) => ({
      className: 'android.widget.CheckedTextView', id: 'android:id/text1', key: `type-${i}`, text: choice.label,
      bounds: box(40, 350 + i * 110, 540, 110), checkable: true, checked: app.movement.typeIndex === i,
      onClick: () => {
        app.movement.typeIndex = i;
        app.show(undefined);
      },
    })) },
  ], bounds);
}

/** The window of what lies over the screen. */
export function overlayWindow(app: VirtualApp, overlay: Overlay): NodeSpec {
  switch (overlay.kind) {
    case 'permission': return permissionDialog(app, overlay.permission);
    case 'menu': return overflowMenu(app);
    case 'edit': return editDialog(app, overlay);
    case 'ftp-test': return ftpTestDialog(app, overlay);
    case 'type-popup': return typePopup(app);
  }
}

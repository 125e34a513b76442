/** The movement entry screen (ours): a Type spinner, a text field per part of the movement, and « Enregistrer ». */
import { MOVEMENT_TYPES, type MovementField } from '../app/movement-form.ts';
import type { VirtualApp } from '../app/virtual-app.ts';
import { box, type NodeSpec } from '../ui-node.ts';
import { appId, button, editText, label, toolbar, windowRoot } from './widgets.ts';

const FIELDS: readonly { field: MovementField; id: string; label: string }[] = [
  { field: 'lot', id: 'mvt_lot', label: 'Lot' },
  { field: 'article', id: 'mvt_article', label: 'Article' },
  { field: 'vintage', id: 'mvt_vintage', label: 'Millésime' },
  { field: 'depot', id: 'mvt_depot', label: 'Dépôt' },
  { field: 'location', id: 'mvt_location', label: 'Emplacement' },
  { field: 'toDepot', id: 'mvt_to_depot', label: 'Dépôt de destination' },
  { field: 'toLocation', id: 'mvt_to_location', label: 'Emplacement de destination' },
  { field: 'quantity', id: 'mvt_quantity', label: 'Quantité' },
  { field: 'reason', id: 'mvt_reason', label: 'Motif' },
  { field: 'comment', id: 'mvt_comment', label: 'Commentaire' },
  { field: 'lotInformation', id: 'mvt_lot_information', label: 'Informations du lot' },
];

const ROW_PX = 150;
const FIRST_ROW_TOP_PX = 230;

/** Two columns of label and field; the lot information takes a whole row. */
function place(position: number): { left: number; top: number; width: number } {
  const wide = position === FIELDS.length;
  return { left: position % 2 === 0 || wide ? 40 : 620, top: FIRST_ROW_TOP_PX + Math.floor(position / 2) * ROW_PX,
    width: wide ? 1120 : 540 };
}

/** The movement entry screen. */
export function movementScreen(app: VirtualApp): NodeSpec {
  const typeAt = place(0);
  const selected = MOVEMENT_TYPES[app.movement.typeIndex]?.label ?? '';
  const children: NodeSpec[] = [
    label('Type', box(typeAt.left, typeAt.top, typeAt.width, 40)),
    { className: 'android.widget.Spinner', id: appId(app, 'mvt_type'), bounds: box(typeAt.left, typeAt.top + 45,
      typeAt.width, 80), onClick: () => app.show({ kind: 'type-popup' }), children: [
      label(selected, box(typeAt.left + 20, typeAt.top + 55, typeAt.width - 40, 60), 'android:id/text1'),
    ] },
  ];
  FIELDS.forEach((field, i) => {
    const at = place(i + 1);
    children.push(label(field.label, box(at.left, at.top, at.width, 40)));
    children.push(editText(app, appId(app, field.id), box(at.left, at.top + 45, at.width, 80), {
      value: () => app.movement.value(field.field),
      set: (value) => {
        app.movement.values.set(field.field, value);
      },
    }));
  });
  const bottom = place(FIELDS.length).top + ROW_PX;
  children.push(button(appId(app, 'mvt_save'), 'Enregistrer', box(40, bottom + 20, 1120, 120),
    () => app.saveMovement()));
  children.push(label(app.movementStatus, box(40, bottom + 170, 1120, 200), appId(app, 'mvt_status')));
  return windowRoot([toolbar(app, 'Mouvement', { up: () => app.back() }),
    { className: 'android.widget.LinearLayout', bounds: box(0, 200, 1200, 1720), children }]);
}

/**
 * The movement entry screen's form: its fields as typed, and how they become
 * the device's MovementInput. Empty fields are left out; numbers accept a
 * decimal comma or point; the lot information reads `CODE=valeur; CODE=valeur`.
 */
import type { MovementInput, MovementType, RecordedMovement } from '../../../device/index.ts';

/** The text fields of the form, in screen order (after the Type spinner). */
export const MOVEMENT_FIELDS = [
  'lot', 'article', 'vintage', 'depot', 'location', 'toDepot', 'toLocation', 'quantity', 'reason', 'comment',
  'lotInformation',
] as const;

/** One text field of the movement form. */
export type MovementField = (typeof MOVEMENT_FIELDS)[number];

/** The Type spinner's choices, in order, with the movement type each stands for. */
export const MOVEMENT_TYPES: readonly { label: string; type: MovementType }[] = [
  { label: 'Entrée', type: 'entry' },
  { label: 'Sortie', type: 'exit' },
  { label: 'Transfert', type: 'transfer' },
  { label: 'Inventaire', type: 'inventory' },
];

/** A value the form cannot turn into a movement; the message names the field and the value. */
export class FormProblem extends Error {}

function parseNumber(label: string, text: string): number {
  const normalised = text.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) throw new FormProblem(`${label} « ${text} » n'est pas un nombre`);
  return Number(normalised);
}

function parseVintage(text: string): number {
  if (!/^\d{4}$/.test(text)) throw new FormProblem(`Millésime « ${text} » n'est pas une année (4 chiffres)`);
  return Number(text);
}

/** Reads `CODE=valeur; CODE=valeur` into INFO_CODE -> VALEUR; throws FormProblem on a part without `=`. */
export function parseLotInformation(text: string): Record<string, string> {
  const information: Record<string, string> = {};
  for (const part of text.split(';').map((piece) => piece.trim()).filter((piece) => piece !== '')) {
    const equals = part.indexOf('=');
    const code = part.slice(0, Math.max(equals, 0)).trim();
    if (equals < 0 || code === '') {
      throw new FormProblem(`Informations du lot : « ${part} » n'a pas la forme CODE=valeur`);
    }
    information[code] = part.slice(equals + 1).trim();
  }
  return information;
}

/** The form as typed: the type chosen and the text of each field. */
export class MovementForm {
  typeIndex = 0;
  readonly values = new Map<MovementField, string>(MOVEMENT_FIELDS.map((field) => [field, '']));

  /** The text of a field. */
  value(field: MovementField): string {
    return this.values.get(field) ?? '';
  }

  /** Empties the text fields; the type keeps its choice. */
  empty(): void {
    for (const field of MOVEMENT_FIELDS) this.values.set(field, '');
  }

  /** The movement the fields describe; throws FormProblem for a number or lot information it cannot read. */
  toInput(): MovementInput {
    const text = (field: MovementField) => this.value(field).trim();
    const optional = (field: MovementField) => text(field) === '' ? undefined : text(field);
    if (text('quantity') === '') throw new FormProblem('Quantité : la quantité est obligatoire');

    const input: MovementInput = {
      type: MOVEMENT_TYPES[this.typeIndex]?.type ?? 'entry',
      lot: text('lot'),
      article: optional('article'),
      vintage: text('vintage') === '' ? undefined : parseVintage(text('vintage')),
      depot: text('depot'),
      location: optional('location'),
      toDepot: optional('toDepot'),
      toLocation: optional('toLocation'),
      quantity: parseNumber('Quantité', text('quantity')),
      reason: text('reason'),
      comment: optional('comment'),
      lotInformation: text('lotInformation') === '' ? undefined : parseLotInformation(text('lotInformation')),
    };
    return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as MovementInput;
  }
}

/** The status after a movement is recorded: `Mouvement <id> enregistré : lot L, article A, nouveau lot, <date>`. */
export function recordedStatus(movement: RecordedMovement): string {
  return `Mouvement ${movement.id} enregistré : lot ${movement.input.lot}, article ${movement.article}, ` +
    `${movement.lotIsNew ? 'nouveau lot' : 'lot existant'}, ${movement.recordedAt}`;
}

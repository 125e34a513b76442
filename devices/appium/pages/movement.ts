/**
 * The movement entry screen: the type from its spinner, one field per value,
 * « Enregistrer », and the status line that says what the app did.
 */
import { DeviceError } from '../../../simulator/errors.ts';
import type { MovementInput } from '../../../simulator/device/types.ts';
import type { ElementName } from '../locator-map.ts';
import { waitForResult, type ResultText } from './result-text.ts';
import { back, tap, textNow, type Screen, type as typeInto } from './screen.ts';
import { showSync } from './sync.ts';

const TYPE_OPTIONS = {
  entry: 'movement.type.entry',
  exit: 'movement.type.exit',
  transfer: 'movement.type.transfer',
  inventory: 'movement.type.inventory',
} as const satisfies Record<MovementInput['type'], ElementName>;

/** Opens the movement entry screen from the synchronisation screen. */
export async function openMovement(screen: Screen): Promise<void> {
  await showSync(screen);
  await tap(screen, 'sync.openMovement');
  await screen.finder.find('movement.save');
}

/** Opens the type spinner's list and picks a type. */
export async function chooseType(screen: Screen, type: MovementInput['type']): Promise<void> {
  await tap(screen, 'movement.type');
  await tap(screen, TYPE_OPTIONS[type]);
}

/** The value of each field for a movement; a field the movement leaves out is emptied. */
export function fieldValues(input: MovementInput): [ElementName, string][] {
  const information = Object.entries(input.lotInformation ?? {}).map(([code, value]) => `${code}=${value}`);
  return [
    ['movement.lot', input.lot],
    ['movement.article', input.article ?? ''],
    ['movement.vintage', input.vintage === undefined ? '' : String(input.vintage)],
    ['movement.depot', input.depot],
    ['movement.location', input.location ?? ''],
    ['movement.toDepot', input.toDepot ?? ''],
    ['movement.toLocation', input.toLocation ?? ''],
    ['movement.quantity', String(input.quantity)],
    ['movement.reason', input.reason],
    ['movement.comment', input.comment ?? ''],
    ['movement.lotInformation', information.join('; ')],
  ];
}

/**
 * Enters a movement and saves it; back on the synchronisation screen after.
 * Throws DeviceError with the app's words on « Mouvement refusé », leaving the
 * movement screen as it is so that the evidence shows the refusal; the next
 * action comes back to the screen it needs (showSync).
 */
export async function enterMovement(screen: Screen, input: MovementInput): Promise<ResultText> {
  const started = Date.now();
  await openMovement(screen);
  await chooseType(screen, input.type);
  for (const [field, value] of fieldValues(input)) await typeInto(screen, field, value);
  const before = await textNow(screen, 'movement.status');
  await tap(screen, 'movement.save');
  const result = await waitForResult(screen, {
    status: 'movement.status', messages: ['movement.recorded', 'movement.refused'], before,
    what: 'the movement\'s result',
  }, screen.finder.findMs);
  screen.log('movement: %s (%d ms on the screen)', result.text, Date.now() - started);
  if (result.message === 'movement.refused') throw new DeviceError(result.text);
  await back(screen);
  await showSync(screen);
  return result;
}

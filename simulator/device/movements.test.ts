import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DeviceError } from '../errors.ts';
import {
  DEVICE_ID, configuredDevice, deviceWithData, startDeviceTestBed, testClock, type DeviceTestBed,
} from './test-fixture.ts';
import type { MovementInput, VirtualDevice } from './types.ts';

let bed: DeviceTestBed;
let device: VirtualDevice;

before(async () => {
  bed = await startDeviceTestBed();
  device = await deviceWithData(bed, testClock());
});

after(async () => {
  device.close();
  await bed.close();
});

function stockAt(lot: string, depot: string, location: string): number | undefined {
  return device.stock().find((line) => line.lot === lot && line.depot === depot && line.location === location)
    ?.quantity;
}

const exit: MovementInput = {
  type: 'exit', lot: 'LOT0001-1', depot: 'STOCK', location: 'A01', quantity: 1, reason: 'VTE',
};

test('every refusal is a DeviceError that names the value at fault', () => {
  const refused: [Partial<MovementInput>, RegExp][] = [
    [{ reason: 'XXX' }, /reason XXX is not in the reasons received/],
    [{ reason: 'ENT' }, /reason ENT is for movements of type E, not S/],
    [{ depot: 'NOPE' }, /source depot NOPE is not in the depots/],
    [{ location: undefined }, /source location in depot STOCK is missing/],
    [{ location: 'Z99' }, /location Z99 is not a location of depot STOCK/],
    [{ quantity: 0 }, /quantity 0 for an exit: expected more than 0/],
    [{ quantity: -2 }, /quantity -2/],
    [{ quantity: Number.NaN }, /quantity NaN is not a number/],
    [{ quantity: 100.001 }, /exit of 100.001 of lot LOT0001-1 at STOCK\/A01 refused: there is only 100 there/],
    [{ article: 'ART0002' }, /lot LOT0001-1 is of article ART0001, not ART0002/],
    [{ lot: 'LOT-NEW' }, /lot LOT-NEW is unknown on the device; a new lot starts with an entry or an inventory/],
    [{ toDepot: 'CAVE', toLocation: 'A01' }, /toDepot and toLocation are for transfers only/],
    [{ comment: 'x'.repeat(201) }, /the movement cannot be sent: .*COMMENTAIRE.*too long \(201 > 200\)/],
    [{ comment: 'Ő' }, /the movement cannot be sent: .*"Ő"/],
    [{ lotInformation: { CUVE: 'y'.repeat(201) } }, /the lot information cannot be sent: .*VALEUR/],
    [{ vintage: 20 }, /vintage 20 of lot LOT0001-1 is not a year/],
    [{ type: 'gift' as MovementInput['type'] }, /movement type gift is not one of entry, exit, transfer, inventory/],
  ];
  for (const [change, message] of refused) {
    assert.throws(() => device.move({ ...exit, ...change }), (error: unknown) => {
      assert.ok(error instanceof DeviceError, `${JSON.stringify(change)} threw ${String(error)}`);
      assert.match(error.message, message);
      assert.match(error.message, new RegExp(`^${DEVICE_ID}: `));
      return true;
    });
  }
  assert.equal(device.pendingMovements().length, 0);
  assert.equal(stockAt('LOT0001-1', 'STOCK', 'A01'), 100);
});

test('a transfer needs an existing destination other than its source', () => {
  const transfer: MovementInput = { ...exit, type: 'transfer', reason: 'TRF' };
  assert.throws(() => device.move(transfer), /the destination depot is missing/);
  assert.throws(() => device.move({ ...transfer, toDepot: 'CAVE' }), /destination location in depot CAVE is missing/);
  assert.throws(() => device.move({ ...transfer, toDepot: 'CAVE', toLocation: 'B07' }),
    /destination location B07 is not a location of depot CAVE/);
  assert.throws(() => device.move({ ...transfer, toDepot: 'STOCK', toLocation: 'A01' }), /to itself/);
});

test('a new lot needs an article that exists', () => {
  const entry: MovementInput = {
    type: 'entry', lot: 'LOT-X', depot: 'CHAI', location: 'A01', quantity: 5, reason: 'ENT',
  };
  assert.throws(() => device.move(entry), /lot LOT-X is new on the device: give its article/);
  assert.throws(() => device.move({ ...entry, article: 'ART9999' }),
    /article ART9999 of new lot LOT-X is not in the articles received/);
});

test('each movement type changes the local stock by the stock rules', () => {
  const sale = device.move({ ...exit, quantity: 10.25, comment: 'salon' });
  assert.equal(stockAt('LOT0001-1', 'STOCK', 'A01'), 89.75);
  assert.equal(sale.article, 'ART0001');
  assert.equal(sale.lotIsNew, false);
  assert.equal(sale.recordedAt, '2026-12-03T19:41:31');

  device.move({ type: 'entry', lot: 'LOT0001-1', depot: 'STOCK', location: 'A01', quantity: 0.25, reason: 'ENT' });
  assert.equal(stockAt('LOT0001-1', 'STOCK', 'A01'), 90);

  device.move({ type: 'transfer', lot: 'LOT0002-1', depot: 'CAVE', location: 'A02', toDepot: 'CHAI', toLocation: 'A01',
    quantity: 2.5, reason: 'TRF' });
  assert.equal(stockAt('LOT0002-1', 'CAVE', 'A02'), 10);
  assert.equal(stockAt('LOT0002-1', 'CHAI', 'A01'), 2.5);
  const created = device.stock().find((line) => line.lot === 'LOT0002-1' && line.depot === 'CHAI');
  assert.equal(created?.article, 'ART0002');

  const count = { type: 'inventory', lot: 'LOT0002-2', depot: 'STOCK', reason: 'INV' } as const;
  device.move({ ...count, location: 'A02', quantity: 4.1236 });
  assert.equal(stockAt('LOT0002-2', 'STOCK', 'A02'), 4.124);
  device.move({ ...count, location: 'A01', quantity: 0 });
  assert.equal(stockAt('LOT0002-2', 'STOCK', 'A01'), 0);
});

test('an exit may take the whole stock, not more', () => {
  device.move({ ...exit, lot: 'LOT0002-1', depot: 'CHAI', location: 'A01', quantity: 2.5 });
  assert.equal(stockAt('LOT0002-1', 'CHAI', 'A01'), 0);
  assert.throws(() => device.move({ ...exit, lot: 'LOT0002-1', depot: 'CHAI', location: 'A01', quantity: 0.001 }),
    /there is only 0 there/);
});

test('a new lot on an article without lot is created by an entry, then known', () => {
  const entry = device.move({ type: 'entry', lot: 'LOT0010-A', article: 'ART0010', vintage: 2024, depot: 'CHAI',
    location: 'A02', quantity: 300, reason: 'ENT', lotInformation: { CUVE: 'C4', DEGRE: '12,5' } });
  assert.equal(entry.lotIsNew, true);
  assert.equal(entry.article, 'ART0010');
  assert.equal(stockAt('LOT0010-A', 'CHAI', 'A02'), 300);

  const again = device.move({ type: 'exit', lot: 'LOT0010-A', depot: 'CHAI', location: 'A02', quantity: 20,
    reason: 'CAS' });
  assert.equal(again.lotIsNew, false);
  assert.equal(again.article, 'ART0010');
  assert.equal(stockAt('LOT0010-A', 'CHAI', 'A02'), 280);
});

test('movement ids count on, persisted across reopening, and pending movements keep their input', () => {
  const pending = device.pendingMovements();
  assert.deepEqual(pending.map((movement) => movement.id), [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Tab001-00000${n}`));
  assert.equal(pending[0]?.input.comment, 'salon');

  device.close();
  device = configuredDevice(bed, testClock());
  assert.equal(device.pendingMovements().length, 8);
  const next = device.move({ ...exit, quantity: 1 });
  assert.equal(next.id, 'Tab001-000009');
});

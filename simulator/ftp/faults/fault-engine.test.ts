import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultEngine } from './fault-engine.ts';
import { faultSetSchema, type FaultSpec } from './fault-schema.ts';

const STOR_INTO_INBOX = {
  address: '127.0.0.1', fromBackOffice: false, login: 'Demo', verb: 'STOR', direction: 'upload' as const,
  path: 'Entrant/eStock/T1/MvtStocks/LotStockExported_20260101_120000.zip',
};

function engineOf(faults: unknown[], seed?: number): FaultEngine {
  return new FaultEngine(faultSetSchema.parse({ faults, ...(seed !== undefined && { seed }) }));
}

/** Which of `count` occasions the reply faults fire at, by occasion number from 1. */
function firingsOver(engine: FaultEngine, count: number, occasion = STOR_INTO_INBOX): number[] {
  const fired: number[] = [];
  for (let at = 1; at <= count; at++) if (engine.fire('reply', occasion).length > 0) fired.push(at);
  return fired;
}

test('a fault fires first at its occurrence, as many times as it says, and set counts again', () => {
  const engine = engineOf([{ reply: { verb: 'STOR', path: '**/MvtStocks/*', occurrence: 2, times: 2, code: 451 } }]);

  assert.deepEqual(firingsOver(engine, 5), [2, 3]);
  assert.equal(engine.current().faults[0]!.fired, 2);
  engine.set({ faults: engine.current().faults.map((fault) => fault.spec) });
  assert.deepEqual(firingsOver(engine, 3), [2, 3], 'set restarts the counts');
});

test('selectors: verb, path glob from the company root, login and address must all match', () => {
  const cases: [unknown, boolean][] = [
    [{ verb: 'stor' }, true],
    [{ verb: 'RETR' }, false],
    [{ path: 'Entrant/eStock/*/MvtStocks/*.zip' }, true],
    [{ path: 'Entrant/eStock/*.zip' }, false],
    [{ path: '**/T1/**' }, true],
    [{ path: 'Sortant/**' }, false],
    [{ login: 'Demo' }, true],
    [{ login: 'acme' }, false],
    [{ address: '::ffff:127.0.0.1' }, true],
    [{ address: '10.0.2.2' }, false],
  ];
  for (const [selector, fires] of cases) {
    const engine = engineOf([{ reply: { ...(selector as object), code: 550 } }]);
    assert.equal(engine.fire('reply', STOR_INTO_INBOX).length > 0, fires, JSON.stringify(selector));
  }
});

test('side: device by default spares the back office, back-office is only it, any is both', () => {
  const fromBackOffice = { ...STOR_INTO_INBOX, fromBackOffice: true };
  const cases: [unknown, boolean, boolean][] = [
    [{}, true, false],
    [{ side: 'device' }, true, false],
    [{ side: 'back-office' }, false, true],
    [{ side: 'any' }, true, true],
  ];
  for (const [selector, onDevice, onBackOffice] of cases) {
    const engine = engineOf([{ reply: { ...(selector as object), code: 550, times: 'always' } }]);
    assert.equal(engine.fire('reply', STOR_INTO_INBOX).length > 0, onDevice, `device, ${JSON.stringify(selector)}`);
    assert.equal(engine.fire('reply', fromBackOffice).length > 0, onBackOffice,
      `back office, ${JSON.stringify(selector)}`);
  }
  assert.throws(() => engineOf([{ reply: { side: 'tablet', code: 550 } }]), /side/);
});

test('an occasion without a path does not match a path selector, and direction filters transfers', () => {
  const engine = engineOf([{ cut: { path: '**', atBytes: 10, direction: 'download' } }]);

  assert.equal(engine.fire('cut', { address: '127.0.0.1', fromBackOffice: false, verb: 'NOOP' }).length, 0);
  assert.equal(engine.fire('cut', STOR_INTO_INBOX).length, 0, 'an upload is not a download');
  assert.equal(engine.fire('cut', { ...STOR_INTO_INBOX, verb: 'RETR', direction: 'download' }).length, 1);
});

test('chance: the same seed fires at the same occasions, another seed at others', () => {
  const faults = [{ reply: { chance: 0.5, times: 'always', code: 450 } }];

  const first = firingsOver(engineOf(faults, 7), 40);
  assert.deepEqual(firingsOver(engineOf(faults, 7), 40), first);
  assert.notDeepEqual(firingsOver(engineOf(faults, 8), 40), first);
  assert.ok(first.length > 5 && first.length < 35, `about half of 40 should fire, got ${first.length}`);
});

test('adding a fault leaves the draws of the faults before it as they were', () => {
  const chancy = { reply: { chance: 0.3, times: 'always', code: 450 } };
  const alone = engineOf([chancy], 3);
  const joined = engineOf([chancy], 3);
  joined.add([{ reply: { chance: 0.3, times: 'always', code: 550 } } as FaultSpec]);

  const firstOf = (engine: FaultEngine): number[] => {
    const fired: number[] = [];
    for (let at = 1; at <= 30; at++) {
      if (engine.fire('reply', STOR_INTO_INBOX).some((firing) => firing.fault === 1)) fired.push(at);
    }
    return fired;
  };
  assert.deepEqual(firstOf(joined), firstOf(alone));
});

test('latency and bandwidth shape every matching occasion whatever times says; clear removes all', () => {
  const engine = engineOf([{ latency: { ms: 100, times: 1 } }, { bandwidth: '3g' }]);

  for (let at = 0; at < 3; at++) {
    assert.equal(engine.fire('latency', STOR_INTO_INBOX).length, 1);
    assert.equal(engine.fire('bandwidth', STOR_INTO_INBOX).length, 1);
  }
  assert.deepEqual(engine.current().faults.map((fault) => fault.fired), [3, 3]);
  engine.clear();
  assert.equal(engine.fire('latency', STOR_INTO_INBOX).length, 0);
});

test('peek finds the idle timeouts that could still fire without counting them', () => {
  const engine = engineOf([{ idleTimeout: { ms: 500, login: 'Demo' } }]);
  const occasion = { address: '127.0.0.1', fromBackOffice: false, login: 'Demo' };

  assert.equal(engine.peek('idleTimeout', occasion).length, 1);
  const beforeLogin = { address: '127.0.0.1', fromBackOffice: false };
  assert.equal(engine.peek('idleTimeout', beforeLogin).length, 0, 'not before login');
  assert.equal(engine.fire('idleTimeout', occasion).length, 1);
  assert.equal(engine.peek('idleTimeout', occasion).length, 0, 'spent after its one time');
});

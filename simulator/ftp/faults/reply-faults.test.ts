import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDataConnection, readToEnd } from '../test-fixture.ts';
import { faultyServer, INBOX_ZIP, store } from './fault-test-fixture.ts';

const ZIP = Buffer.alloc(12_800, 7);

test('the 2nd STOR into MvtStocks is answered 451 instead: no file, the fault in its record and event', async (t) => {
  const { control, server, fired, root } = await faultyServer(t, [
    { reply: { verb: 'STOR', path: 'Entrant/eStock/*/MvtStocks/*', occurrence: 2, code: 451 } },
  ]);
  const second = INBOX_ZIP.replace('120000', '120100');

  assert.match(await store(control, 'Entrant/eStock/T1/Version.txt', ZIP), /^226 /, 'not in MvtStocks');
  assert.match(await store(control, INBOX_ZIP, ZIP), /^226 /);
  assert.equal(await store(control, second, ZIP), '451 Requested action aborted: local error in processing');
  assert.match(await store(control, second.replace('120100', '120200'), ZIP), /^226 /, 'it fires once');
  await control.command('NOOP');

  assert.equal(existsSync(join(root, second)), false);
  const record = server.transcript().find((line) => line.command === `STOR ${second}`)!;
  assert.equal(record.reply, 451);
  const expected = { fault: 1, kind: 'reply', text: `STOR ${second} not carried out: answered 451` };
  assert.deepEqual(record.faults, [expected]);
  assert.deepEqual(fired, [expected]);
  assert.equal(server.faults.current().faults[0]!.fired, 1);
});

test('a reply after the data keeps the whole file, tells it uploaded, and answers the code', async (t) => {
  const { control, server, events, root } = await faultyServer(t, [
    { reply: { verb: 'STOR', when: 'after-data', code: 426, text: 'Network went away' } },
  ]);

  assert.equal(await store(control, INBOX_ZIP, ZIP), '426 Network went away');
  await control.command('NOOP');

  assert.ok(readFileSync(join(root, INBOX_ZIP)).equals(ZIP));
  assert.deepEqual(events.map(({ event }) => event), ['upload']);
  const record = server.transcript().find((line) => line.command === `STOR ${INBOX_ZIP}`)!;
  assert.equal(record.reply, 426);
  assert.equal(record.bytes, ZIP.length);
  assert.deepEqual(record.faults?.map(({ text }) => text),
    [`upload of ${INBOX_ZIP}: all 12800 bytes carried, then answered 426`]);
});

test('a 421 reply closes the session after it; a fault on another login does not fire', async (t) => {
  const { control, server } = await faultyServer(t, [
    { reply: { verb: 'CWD', login: 'acme', code: 550 } },
    { reply: { verb: 'PWD', code: 421 } },
  ]);

  assert.match(await control.command('CWD Entrant'), /^250 /);
  assert.equal(await control.command('PWD'), '421 Service not available, closing control connection');
  await control.closed;

  assert.deepEqual(server.faults.current().faults.map(({ fired }) => fired), [0, 1]);
});

test('a download answered instead gets no data: the data connection the client opened is closed', async (t) => {
  const { control, root } = await faultyServer(t, [{ reply: { verb: 'RETR', code: 550 } }]);
  await store(control, 'Sortant/eStock/T1.zip', ZIP);
  assert.ok(existsSync(join(root, 'Sortant/eStock/T1.zip')));

  const data = await openDataConnection(control);
  const received = readToEnd(data).catch(() => Buffer.alloc(0));
  assert.match(await control.command('RETR Sortant/eStock/T1.zip'), /^550 /);
  assert.equal((await received).length, 0);
});

test('an upload answered instead ends the data connection with a FIN, even after the client wrote to it', async (t) => {
  const { control, root } = await faultyServer(t, [{ reply: { verb: 'STOR', code: 452 } }]);
  const data = await openDataConnection(control);
  // What a client sends before any 150, as the first bytes of its TLS handshake would be.
  data.write(Buffer.alloc(300, 1));
  const ended = new Promise<string>((done) => {
    data.on('end', () => done('FIN'));
    data.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
  data.resume();

  assert.match(await control.command(`STOR ${INBOX_ZIP}`), /^452 /);
  assert.equal(await ended, 'FIN');
  assert.equal(existsSync(join(root, INBOX_ZIP)), false);
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from 'node:tls';
import { Client } from 'basic-ftp';
import { DEMO, downloadBytes, openDataConnection, profileOf, uploadBytes } from '../test-fixture.ts';
import { faultSetSchema } from './fault-schema.ts';
import { faultyServer, INBOX_ZIP, retrieve, store } from './fault-test-fixture.ts';

const ZIP = randomBytes(12_800);

test('an upload cut at 40%: 426, the file holds the share that arrived, upload-cut-short, the fault', async (t) => {
  const { control, server, events, fired, root } = await faultyServer(t, [
    { cut: { direction: 'upload', atPercent: 40, path: 'Entrant/eStock/*/MvtStocks/*' } },
  ]);

  assert.match(await store(control, INBOX_ZIP, ZIP), /^426 /);
  await control.command('NOOP');

  assert.ok(readFileSync(join(root, INBOX_ZIP)).equals(ZIP.subarray(0, 5120)));
  const text = `upload of ${INBOX_ZIP} cut at 5120 of 12800 bytes (40%), abrupt close (FIN without TLS close_notify)`;
  assert.deepEqual(fired, [{ fault: 1, kind: 'cut', text }]);
  assert.deepEqual(events.map(({ event }) => event), ['upload-cut-short']);
  const record = server.transcript().find((line) => line.command === `STOR ${INBOX_ZIP}`)!;
  assert.equal(record.reply, 426);
  assert.equal(record.bytes, 5120);
  assert.match(record.cutShort!, /^cut by a fault at 5120 of 12800 bytes/);
  assert.deepEqual(record.faults, fired);
});

test('a download cut at N bytes by a reset: the client has at most N bytes and the record says 426', async (t) => {
  const { control, server, root, events } = await faultyServer(t, [{ cut: { atBytes: 100_000, close: 'reset' } }]);
  writeFileSync(join(root, 'Sortant/eStock/T1.zip'), randomBytes(400_000));

  const { reply, bytes } = await retrieve(control, 'Sortant/eStock/T1.zip');
  await control.command('NOOP');

  assert.match(reply, /^426 .*cut by a fault at 100000 of 400000 bytes \(25%\), reset \(TCP RST\)/);
  assert.ok(bytes.length <= 100_000, `${bytes.length} bytes arrived`);
  assert.deepEqual(events.map(({ event }) => event), ['download-cut-short']);
  assert.equal(server.transcript().find((line) => line.command.startsWith('RETR'))!.bytes, 100_000);
});

test('a download cut with a clean close gives exactly the bytes before the cut, then an orderly end', async (t) => {
  const { control, root } = await faultyServer(t, [{ cut: { atBytes: 70_000, close: 'clean' } }]);
  const file = randomBytes(300_000);
  writeFileSync(join(root, 'Sortant/eStock/T1.zip'), file);

  const { reply, bytes } = await retrieve(control, 'Sortant/eStock/T1.zip');

  assert.match(reply, /^426 /);
  assert.ok(bytes.equals(file.subarray(0, 70_000)), `${bytes.length} bytes arrived`);
});

test('a cut past the end of the file lets the transfer complete, and its record says so', async (t) => {
  const { control, server } = await faultyServer(t, [{ cut: { direction: 'upload', atBytes: 1_000_000 } }]);

  assert.match(await store(control, INBOX_ZIP, ZIP), /^226 /);
  await control.command('NOOP');

  assert.deepEqual(server.transcript().find((line) => line.command.startsWith('STOR'))!.faults,
    [{ fault: 1, kind: 'cut', text: `upload of ${INBOX_ZIP} ended at 12800 bytes, before its cut` }]);
});

test('a listing cut at half: 426 for the LIST, the next one whole', async (t) => {
  const { control } = await faultyServer(t, [{ cut: { verb: 'LIST', atPercent: 50 } }]);
  const listing = async (): Promise<string> => {
    const data = await openDataConnection(control);
    data.on('error', () => undefined);
    assert.match(await control.command('LIST Entrant/eStock'), /^150 /);
    return control.reply();
  };

  const [, at, total] = /^426 Connection closed; listing aborted: cut by a fault at (\d+) of (\d+) bytes/
    .exec(await listing()) ?? [];
  assert.equal(Number(at), Math.floor(Number(total) / 2));
  assert.match(await listing(), /^226 /);
});

test('a stall after N bytes holds the download there for a while, then it completes', async (t) => {
  const { control, root, server } = await faultyServer(t, [{ stall: { afterBytes: 50_000, forMs: 1500 } }]);
  const file = randomBytes(200_000);
  writeFileSync(join(root, 'Sortant/eStock/T1.zip'), file);
  let atStall: number | undefined;
  let received = 0;
  server.on('fault', () => {
    // Whatever was on its way when the stall began has arrived 300 ms later; nothing more.
    setTimeout(() => (atStall = received), 300);
  });

  const data = await openDataConnection(control);
  const chunks: Buffer[] = [];
  data.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  });
  assert.match(await control.command('RETR Sortant/eStock/T1.zip'), /^150 /);
  assert.match(await control.reply(), /^226 /);

  assert.equal(atStall, 50_000);
  assert.ok(Buffer.concat(chunks).equals(file));
  await control.command('NOOP');
  assert.deepEqual(server.transcript().find((line) => line.command.startsWith('RETR'))!.faults?.[0]?.text,
    'download of Sortant/eStock/T1.zip stalled at 50000 of 200000 bytes (25%) for 1500 ms');
});

test('an upload stalled for good: the client gives up, the upload is cut short, nothing is complete', async (t) => {
  const { control, events, server } = await faultyServer(t, [{ stall: { direction: 'upload', afterBytes: 1000 } }]);

  const data = await openDataConnection(control);
  assert.match(await control.command(`STOR ${INBOX_ZIP}`), /^150 /);
  data.end(ZIP);
  const noReply = await Promise.race([control.reply(), new Promise((done) => setTimeout(done, 500, 'none'))]);
  assert.equal(noReply, 'none', 'no final reply while stalled');
  const ended = new Promise((done) => server.on('session-end', done));
  control.close();
  await ended;

  assert.deepEqual(events.map(({ event }) => event), ['upload-cut-short']);
});

test('clearing the faults releases an upload stalled for good and spares it the cut ahead', async (t) => {
  const { control, events, server } = await faultyServer(t, [
    { stall: { direction: 'upload', afterBytes: 1000 } },
    { cut: { direction: 'upload', atBytes: 5000 } },
  ]);
  server.on('fault', ({ fault }) => {
    if (fault.kind === 'stall' && fault.text.includes('stalled')) setTimeout(() => server.faults.clear(), 300);
  });

  const data = await openDataConnection(control);
  assert.match(await control.command(`STOR ${INBOX_ZIP}`), /^150 /);
  data.end(ZIP);
  assert.match(await control.reply(), /^226 /);
  await control.command('NOOP');

  assert.deepEqual(events.map(({ event }) => event), ['upload']);
  const texts = server.transcript().find((line) => line.command.startsWith('STOR'))!.faults!.map(({ text }) => text);
  assert.equal(texts.length, 3);
  assert.equal(texts[0], `upload of ${INBOX_ZIP} stalled at 1000 bytes for good`);
  const released = `upload of ${INBOX_ZIP}: stall at 1000 bytes released after (\\d+) ms, its fault withdrawn`;
  assert.ok(Number(new RegExp(`^${released}$`).exec(texts[1]!)?.[1]) >= 250, texts[1]);
  assert.equal(texts[2], `upload of ${INBOX_ZIP}: its cut at 5000 bytes withdrawn before it was reached`);
});

test('replacing the faults lifts a cap on a download in progress; adding some does not', { timeout: 60_000 },
  async (t) => {
    // 16 kbit/s is 2000 bytes a second: the 400 kB would take over three minutes under the cap.
    const { control, root, server } = await faultyServer(t, [{ bandwidth: { downKbps: 16 } }]);
    const file = randomBytes(400_000);
    writeFileSync(join(root, 'Sortant/eStock/T1.zip'), file);
    const data = await openDataConnection(control);
    const chunks: Buffer[] = [];
    data.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((done) => data.once('close', done));
    const received = () => chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    assert.match(await control.command('RETR Sortant/eStock/T1.zip'), /^150 /);

    await new Promise((done) => setTimeout(done, 500));
    server.faults.add(faultSetSchema.parse({ faults: [{ latency: 1 }] }).faults);
    await new Promise((done) => setTimeout(done, 500));
    const beforeLift = received();
    assert.ok(beforeLift < 20_000, `${beforeLift} bytes through while capped, still capped after an add`);
    server.faults.set(faultSetSchema.parse({ faults: [] }));
    assert.match(await control.reply(), /^226 /);
    await closed;

    assert.equal(received(), file.length);
    assert.ok(Buffer.concat(chunks).equals(file));
  });

test('a bandwidth cap paces a download and an upload to no faster than the cap', async (t) => {
  const { server } = await faultyServer(t, [{ bandwidth: { upKbps: 400, downKbps: 800 } }]);
  const client = new Client();
  t.after(() => client.close());
  await client.access({ ...profileOf(server, DEMO), secure: false });
  const payload = randomBytes(100_000);

  let started = performance.now();
  await uploadBytes(client, payload, INBOX_ZIP);
  const uploadMs = performance.now() - started;
  started = performance.now();
  const back = await downloadBytes(client, INBOX_ZIP);
  const downloadMs = performance.now() - started;

  assert.ok(back.equals(payload));
  // 100 kB at 400 kbit/s is 2 s, at 800 kbit/s 1 s: a cap is a floor on the time, never a ceiling here.
  assert.ok(uploadMs >= 1900, `upload took ${Math.round(uploadMs)} ms`);
  assert.ok(downloadMs >= 950, `download took ${Math.round(downloadMs)} ms`);
  const texts = server.transcript().flatMap((line) => line.faults ?? []).map(({ text }) => text);
  assert.ok(texts.some((text) => text.startsWith(`upload of ${INBOX_ZIP}: capped at 800 kbit/s down, 400 kbit/s up; ` +
    '100000 bytes in ')), texts.join('\n'));
});

test('latency delays each command and its reply; direction upload delays only one way', async (t) => {
  const { control, server } = await faultyServer(t, [{ latency: { verb: 'NOOP', ms: 150 } },
    { latency: { verb: 'PWD', ms: 150, direction: 'upload' } }]);

  let started = performance.now();
  await control.command('NOOP');
  const noopMs = performance.now() - started;
  started = performance.now();
  await control.command('PWD');
  const pwdMs = performance.now() - started;

  assert.ok(noopMs >= 290, `NOOP took ${Math.round(noopMs)} ms`);
  assert.ok(pwdMs >= 145, `PWD took ${Math.round(pwdMs)} ms`);
  await control.command('SYST');
  const noop = server.transcript().find((line) => line.command === 'NOOP')!;
  assert.deepEqual(noop.faults, [{ fault: 1, kind: 'latency', text: 'NOOP: 150 ms of latency, each way' }]);
  assert.equal(server.transcript().find((line) => line.command === 'SYST')!.faults, undefined);
});

test('under TLS, an upload cut cleanly or abruptly leaves its share; the next upload completes', async (t) => {
  const { control, root, events } = await faultyServer(t, [
    { cut: { direction: 'upload', atBytes: 4000, close: 'clean' } },
    { cut: { direction: 'upload', atBytes: 6000, close: 'abrupt', occurrence: 2 } },
  ], { tls: { mode: 'optional' } }, { secure: true });
  const storSecure = async (path: string): Promise<string> => {
    const plain = await openDataConnection(control);
    const started = control.command(`STOR ${path}`);
    const data = connect({ socket: plain, rejectUnauthorized: false });
    data.on('error', () => undefined);
    await new Promise((done) => data.once('secureConnect', done));
    assert.match(await started, /^150 /);
    data.end(ZIP);
    return control.reply();
  };

  assert.match(await storSecure(INBOX_ZIP), /^426 .*clean close/);
  assert.equal(readFileSync(join(root, INBOX_ZIP)).length, 4000);
  assert.match(await storSecure(INBOX_ZIP), /^426 .*abrupt close/);
  assert.equal(readFileSync(join(root, INBOX_ZIP)).length, 6000);
  assert.match(await storSecure(INBOX_ZIP), /^226 /);
  assert.ok(readFileSync(join(root, INBOX_ZIP)).equals(ZIP));
  assert.deepEqual(events.map(({ event }) => event), ['upload-cut-short', 'upload-cut-short', 'upload']);
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { BACK_OFFICE_CLIENT_NAME } from '../client-name.ts';
import { withFtpSession } from '../client.ts';
import { DEMO, logIn, profileOf, RawControl, startTestServer, uploadBytes } from '../test-fixture.ts';
import { faultSetSchema } from './fault-schema.ts';

/** A server with `faults`, a session named as the back office and one that gave no name, both logged in. */
async function twoSides(t: TestContext, faults: unknown[]) {
  const { server } = await startTestServer(t, { faults: faultSetSchema.parse({ faults }) });
  const backOffice = await RawControl.open(server.port);
  t.after(() => backOffice.close());
  assert.match(await backOffice.command(`CLNT ${BACK_OFFICE_CLIENT_NAME}`), /^200 /);
  await logIn(backOffice, DEMO);
  const device = await RawControl.open(server.port);
  t.after(() => device.close());
  await logIn(device, DEMO);
  return { server, backOffice, device };
}

const NOOP_450 = { verb: 'NOOP', code: 450, times: 'always' };

test('a fault without side spares the session named as the back office, not the others', async (t) => {
  const { backOffice, device } = await twoSides(t, [{ reply: NOOP_450 }]);

  assert.match(await backOffice.command('NOOP'), /^200 /);
  assert.match(await device.command('NOOP'), /^450 /);
});

test('side: back-office touches only the back office, any touches both', async (t) => {
  const { backOffice, device } = await twoSides(t, [{ reply: { ...NOOP_450, side: 'back-office' } }]);
  assert.match(await backOffice.command('NOOP'), /^450 /);
  assert.match(await device.command('NOOP'), /^200 /);

  const both = await twoSides(t, [{ reply: { ...NOOP_450, side: 'any' } }]);
  assert.match(await both.backOffice.command('NOOP'), /^450 /);
  assert.match(await both.device.command('NOOP'), /^450 /);
});

test('another client name, or the back office\'s given with other words, is the devices\' side', async (t) => {
  const { server } = await startTestServer(t, { faults: faultSetSchema.parse({ faults: [{ reply: NOOP_450 }] }) });
  for (const name of ['lftp/4.9.2', 'estock-hil back office 2', 'ESTOCK-HIL BACK OFFICE']) {
    const control = await RawControl.open(server.port);
    t.after(() => control.close());
    assert.match(await control.command(`CLNT ${name}`), /^200 /);
    assert.match(await control.command('NOOP'), /^450 /, name);
  }
});

test('the back office\'s own CLNT is spared by a fault on every command of the devices', async (t) => {
  const faults = [{ reply: { code: 550, times: 'always' } }];
  const { server } = await startTestServer(t, { faults: faultSetSchema.parse({ faults }) });
  const backOffice = await RawControl.open(server.port);
  t.after(() => backOffice.close());

  assert.match(await backOffice.command(`CLNT ${BACK_OFFICE_CLIENT_NAME}`), /^200 /);
  await logIn(backOffice, DEMO);
  assert.equal(server.faults.current().faults[0]!.fired, 0);
});

test('an upload cut at 40% cuts the device\'s upload, not the back office\'s', async (t) => {
  const faults = [{ cut: { direction: 'upload', atPercent: 40, times: 'always' } }];
  const { server } = await startTestServer(t, { faults: faultSetSchema.parse({ faults }) });
  const bytes = randomBytes(64 * 1024);
  const upload = (clientName?: string) => withFtpSession(
    { ...profileOf(server, DEMO), ...(clientName !== undefined && { clientName }) }, 'test',
    (client) => uploadBytes(client, bytes, `/Sortant/eStock/${clientName === undefined ? 'device' : 'bo'}.bin`));

  await upload(BACK_OFFICE_CLIENT_NAME);
  await assert.rejects(upload(), /FTP with Demo@/);
  assert.equal(server.faults.current().faults[0]!.fired, 1);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FtpError } from '../errors.ts';
import { withFtpSession } from './client.ts';
import { DEMO, downloadBytes, profileOf, startTestServer } from './test-fixture.ts';

test('a refused command names the server, what was done and the reply, its code once', async (t) => {
  const { server } = await startTestServer(t);
  const missing = '/Entrant/eStock/Tab003/MvtStocks/LotStockExported_20261204_120000.zip';

  const error = await withFtpSession(profileOf(server, DEMO), 'test', (client) => downloadBytes(client, missing))
    .then(() => undefined, (failure: unknown) => failure);

  assert.ok(error instanceof FtpError);
  assert.equal(error.replyCode, 550);
  assert.match(error.message, new RegExp(`^test: FTP with Demo@127\\.0\\.0\\.1:${server.port} failed: ` +
    `the server replied 550 ${missing.replace(/[.]/g, '\\.')}: `));
  assert.doesNotMatch(error.message, /550 550/);
});

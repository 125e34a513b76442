import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withFtpSession } from './client.ts';
import type { FtpServerEvents } from './server.ts';
import { DEMO, profileOf, sessionEnded, startTestServer, uploadBytes } from './test-fixture.ts';

test('a rename answered 250 emits rename with both paths from the company root; a refused one does not',
  async (t) => {
    const { server } = await startTestServer(t);
    const renames: FtpServerEvents['rename'][] = [];
    server.on('rename', (payload) => renames.push(payload));

    const ended = sessionEnded(server, 's0001');
    await withFtpSession(profileOf(server, DEMO), 'test rename', async (client) => {
      await client.cd('/Entrant/eStock');
      await uploadBytes(client, Buffer.from('movements'), 'a.zip.tmp');
      await client.rename('a.zip.tmp', '/Entrant/eStock/a.zip');
      await assert.rejects(client.rename('missing.tmp', 'b.zip'), /550/);
    });
    await ended;

    assert.deepEqual(renames, [
      { session: 's0001', company: DEMO.company, from: 'Entrant/eStock/a.zip.tmp', to: 'Entrant/eStock/a.zip' },
    ]);
  });

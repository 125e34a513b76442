import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from 'basic-ftp';
import type { CompanyAccount } from './server.ts';
import { downloadBytes, startTestServer, uploadBytes } from './test-fixture.ts';

const COMPANIES = 10;
const CLIENTS_PER_COMPANY = 10;
const FILE_BYTES = 2 * 1024 * 1024;

const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const openSockets = (): number => process.getActiveResourcesInfo()
  .filter((kind) => kind === 'TCPSocketWrap' || kind === 'TCPServerWrap').length;

test('100 clients of 10 companies upload and download 2 MB each at once, nothing astray or left open',
  { timeout: 120_000 }, async (t) => {
    const accounts: CompanyAccount[] = Array.from({ length: COMPANIES }, (_, index) => ({
      company: `Domaine ${index}`, login: `domaine${index}`, password: `secret-${index}`,
    }));
    const socketsBefore = openSockets();
    const { server } = await startTestServer(t, {
      companies: accounts, tls: { mode: 'optional' }, passivePorts: { min: 52000, max: 52999 },
    });

    const clients = accounts.flatMap((account, company) =>
      Array.from({ length: CLIENTS_PER_COMPANY }, (_, index) => ({ account, company, index })));
    const results = await Promise.all(clients.map(async ({ account, index }) => {
      const bytes = randomBytes(FILE_BYTES);
      const client = new Client(60_000);
      try {
        // Every other client uses explicit TLS with PROT P, as the production setting lets them.
        await client.access({
          host: server.host, port: server.port, user: account.login, password: account.password,
          secure: index % 2 === 0, secureOptions: { rejectUnauthorized: false },
        });
        const path = `/Entrant/eStock/T${index}/MvtStocks/LotStockExported_20240101_0000${index}.zip`;
        await client.ensureDir(`/Entrant/eStock/T${index}/MvtStocks`);
        await uploadBytes(client, bytes, path);
        const back = await downloadBytes(client, path);
        return { sent: digest(bytes), back: digest(back), account };
      } finally {
        client.close();
      }
    }));
    await server.stop();

    for (const { sent, back } of results) assert.equal(back, sent, 'a download differs from its upload');
    accounts.forEach((account, company) => {
      const root = server.companyRoot(account.company);
      const devices = readdirSync(join(root, 'Entrant/eStock')).sort();
      assert.deepEqual(devices, Array.from({ length: CLIENTS_PER_COMPANY }, (_, index) => `T${index}`).sort());
      for (let index = 0; index < CLIENTS_PER_COMPANY; index++) {
        const file = join(root, `Entrant/eStock/T${index}/MvtStocks/LotStockExported_20240101_0000${index}.zip`);
        assert.equal(digest(readFileSync(file)), results[company * CLIENTS_PER_COMPANY + index]!.sent,
          `${account.company}: T${index}'s file is not the one its client sent`);
      }
    });
    await new Promise((done) => setImmediate(done));
    assert.equal(openSockets(), socketsBefore, 'sockets left open after the server stopped');
  });

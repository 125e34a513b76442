import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCompany } from './company.ts';
import { openVirtualDevice } from './device/index.ts';
import { FtpError } from './errors.ts';
import { loadMapping } from './exchange/index.ts';
import type { ImportOnArrival } from './import-on-upload.ts';
import { startCompaniesSimulator } from './simulator.ts';

const mapping = loadMapping('eStock', '1.00');
const catalog = { size: 'small', seed: 1 } as const;

test('several companies: a back office each, through the company server under TLS, the due import run at stop',
  async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'hil-simulator-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    const [demo, domaine] = [loadCompany('demo'), loadCompany('domaine')];
    const imports: ImportOnArrival[] = [];
    const simulator = await startCompaniesSimulator({
      folder, mapping, ftp: { port: 0, tls: { mode: 'required' } },
      companies: [{ company: demo, catalog }, { company: domaine, catalog, disabled: true }],
      onImport: (outcome) => imports.push(outcome),
    });
    t.after(() => simulator.stop());

    const [first, second] = simulator.companies;
    assert.equal(first!.backOffice.databaseFile, join(folder, 'bo', 'Demo', 'bo.sqlite'));
    assert.deepEqual(simulator.companies.map(({ catalog: state, disabled }) => [state, disabled]),
      [['seeded', false], ['seeded', true]]);
    const exported = await first!.backOffice.exportForDevice('Tab001');
    assert.equal(exported.tables, 52);
    assert.ok(existsSync(join(first!.root, 'Sortant', 'eStock', 'Tab001', 'Tab001.zip')));
    const refused = await second!.backOffice.exportForDevice('CAVE-01').then(() => undefined, (error) => error);
    assert.ok(refused instanceof FtpError && refused.replyCode === 530, 'a disabled login refuses its back office too');
    const commands = simulator.ftp.transcript().map((record) => `${record.command} ${record.reply}`);
    assert.ok(commands.includes('AUTH TLS 234') && commands.includes('PROT P 200'),
      'the back office went through the company server under TLS');

    await simulator.stop();
    const restarted = await startCompaniesSimulator({
      folder, mapping, ftp: { port: 0 }, companies: [{ company: demo, catalog }],
      onImport: (outcome) => imports.push(outcome),
    });
    t.after(() => restarted.stop());
    assert.equal(restarted.companies[0]!.catalog, 'kept');
    await restarted.companies[0]!.backOffice.exportForDevice('Tab001');
    const device = openVirtualDevice({ folder: join(folder, 'device'), mapping });
    t.after(() => device.close());
    const { ftp } = restarted;
    const { login: user, password } = demo.ftp;
    device.configure({ deviceId: 'Tab001', ftp: { host: ftp.host, port: ftp.port, user, password } });
    await device.receive();
    const { lot, depot, location } = device.stock().find((stock) => stock.quantity >= 1)!;
    device.move({ type: 'exit', lot, depot, location, quantity: 1, reason: 'VTE' });
    await device.send();
    await restarted.stop();

    assert.deepEqual(imports.map(({ company, device: id, report }) => [company, id, report?.movementsImported]),
      [['Demo', 'Tab001', 1]], 'the import due at stop did not run before the back office closed');
  });

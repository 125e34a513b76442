import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCorpus } from '../simulator/bo/bad-input/corpus.ts';
import { counterKeyFor, openBackOffice } from '../simulator/bo/index.ts';
import { defaultCompanies } from '../simulator/companies-file.ts';
import { loadCompany } from '../simulator/company.ts';
import { openVirtualDevice, type VirtualDevice } from '../simulator/device/index.ts';
import { loadMapping } from '../simulator/exchange/index.ts';
import { startFtpServer } from '../simulator/ftp/server.ts';
import { SERVE_ADDRESS_NAME } from './serve-address.ts';
import { lockStateFolder } from './serve-lock.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'hil-bo-cli-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const mapping = loadMapping('eStock', '1.00');
const WAIT_MS = 15_000;

/** What one run of the command left. */
interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `estock-hil bo <args>` as a child process, in the test folder. */
function bo(...args: string[]): Promise<Ran> {
  const child = spawn(process.execPath, [join(root, 'bin', 'estock-hil.js'), 'bo', ...args], { cwd: folder });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

/** Runs a command with --json and parses its one JSON object, checking the exit code. */
async function boJson(code: number, ...args: string[]): Promise<Record<string, unknown>> {
  const ran = await bo(...args, '--json');
  assert.equal(ran.code, code, `bo ${args.join(' ')}: exit ${ran.code}\n${ran.stdout}\n${ran.stderr}`);
  const lines = ran.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `exactly one line on stdout: ${ran.stdout}`);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

/** A device that receives its export and sends one exit of 2 from a line with stock. */
async function receiveAndSend(device: VirtualDevice, port: number, user: string, password: string):
  Promise<string> {
  device.configure({ deviceId: 'Tab001', login: 'Admin', ftp: { host: '127.0.0.1', port, user, password } });
  await device.receive();
  const { lot, depot, location } = device.stock().find((line) => line.quantity >= 2)!;
  device.move({ type: 'exit', lot, depot, location, quantity: 2, reason: 'VTE' });
  const sent = await device.send();
  return sent.file!;
}

test('without serve: the administration commands, in text and --json, with their refusals', { timeout: 240_000 },
  async () => {
    const state = join(folder, 'admin');
    const status = await boJson(0, 'status', '--state', state);
    assert.equal(status.command, 'bo status');
    assert.equal(status.company, 'Demo');
    assert.equal(status.ftp, null, 'no FTP server needed, none started');
    assert.equal(status.serve, null);
    assert.equal((status.licence as { valid: boolean }).valid, true);
    assert.equal((status.devices as unknown[]).length, 8);
    assert.ok((status.stockLines as number) > 0, 'a new back office is seeded, as serve seeds it');

    const text = await bo('device', 'change', 'Tab002', '--blocked', '--state', state);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, 'Tab002: key d4d5e64e32fca80d, blocked\n');
    const listed = await bo('device', 'list', '--state', state);
    assert.match(listed.stdout, /│ Tab002 │ d4d5e64e32fca80d +│ yes +│/);
    const unblocked = await boJson(0, 'device', 'change', 'Tab002', '--no-blocked', '--state', state);
    assert.deepEqual(unblocked.device, { deviceId: 'Tab002', authKey: 'd4d5e64e32fca80d', blocked: false });

    const created = await boJson(0, 'device', 'create', 'Tab009', '--key', '0123456789abcdef', '--state', state);
    assert.deepEqual(created.device, { deviceId: 'Tab009', authKey: '0123456789abcdef', blocked: false });
    const added = await boJson(0, 'estock', 'add', 'Tab009', '--login', 'Admin', '--no-active', '--state', state);
    assert.deepEqual(added.device, { deviceId: 'Tab009', login: 'Admin', active: false, blocked: false,
      criteria: '' });
    const refused = await boJson(1, 'device', 'delete', 'Tab009', '--state', state);
    assert.deepEqual(refused.error, { code: 'BACK_OFFICE', message: 'device Tab009 not deleted: it is in the ' +
      'eStock device list; remove it from the list first' });
    assert.equal((await boJson(0, 'estock', 'remove', 'Tab009', '--state', state)).removed, 'Tab009');
    assert.equal((await boJson(0, 'device', 'delete', 'Tab009', '--state', state)).deleted, 'Tab009');

    const settings = await boJson(0, 'settings', 'set', 'negativeStock=refuse', 'settleMs=0', '--state', state);
    assert.deepEqual(settings.changed, ['negativeStock', 'settleMs']);
    assert.equal((await boJson(0, 'settings', '--state', state) as { settings: { settleMs: number } })
      .settings.settleMs, 0, 'kept in the database');
    // A value the back office refuses for its form is a mistake in what was typed, as a wrong key is: exit 2.
    const wrongValue = await boJson(2, 'settings', 'set', 'imageExport=some', '--state', state);
    assert.match((wrongValue.error as { message: string }).message, /^settings not changed: imageExport: /);
    const wrongKey = await bo('settings', 'set', 'colour=red', '--state', state);
    assert.equal(wrongKey.code, 2);
    assert.match(wrongKey.stderr, /^estock-hil bo settings set: colour is not a setting; the keys are version, /);

    const profile = await boJson(0, 'profile', 'set', 'office', '--host', '192.0.2.7', '--port', '21', '--user',
      'Demo', '--password', 'secret', '--tls', 'optional', '--state', state);
    assert.deepEqual(profile.profile, { name: 'office', host: '192.0.2.7', port: 21, user: 'Demo',
      password: '***', tls: 'optional' });
    const incomplete = await bo('profile', 'set', 'other', '--host', 'x', '--state', state);
    assert.equal(incomplete.code, 2);
    assert.match(incomplete.stderr, /other is a new profile: it needs --port, --user, --password/);
    const profiles = await boJson(0, 'profile', 'list', '--state', state);
    assert.deepEqual((profiles.profiles as { name: string }[]).map((each) => each.name), ['estock-hil', 'office']);
    assert.ok(!JSON.stringify(profiles).includes('demo-estock'), 'passwords masked');
    await boJson(0, 'settings', 'set', 'ftpProfile=office', '--state', state);
    assert.equal((await boJson(1, 'profile', 'delete', 'office', '--state', state)).error !== undefined, true);
    await boJson(0, 'settings', 'set', 'ftpProfile=estock-hil', '--state', state);
    await boJson(0, 'profile', 'delete', 'office', '--state', state);

    const renewed = await boJson(0, 'licence', 'set', '--count', '8', '--until', '2030-06-30', '--state', state);
    const licence = renewed.licence as { key: string; valid: boolean; refusal: string };
    assert.equal(licence.valid, false);
    assert.match(licence.refusal, /has no counter-key yet/);
    const service = await boJson(0, 'licence', 'service', '--state', state);
    assert.equal(service.key, licence.key);
    assert.match(service.counterKey as string, /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    const wrong = await bo('licence', 'counter-key', '0000-0000-0000-0000', '--state', state);
    assert.equal(wrong.code, 1, 'a licence that does not validate: exit 1');
    assert.match(wrong.stdout, /REFUSED: the counter-key 0000-0000-0000-0000 does not validate/);
    const valid = await boJson(0, 'licence', 'counter-key', service.counterKey as string, '--state', state);
    assert.equal((valid.licence as { valid: boolean }).valid, true);
    const bad = await bo('licence', 'set', '--count', 'many', '--until', '2030-01-01', '--state', state);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--count: many is not a whole number >= 0/);

    const seeded = await boJson(0, 'seed', '--size', 'small', '--seed', '9', '--state', state);
    assert.equal((seeded.catalog as { depots: number }).depots, 4);
  });

test('flags at fault are named, with exit code 2', { timeout: 120_000 }, async () => {
  const state = join(folder, 'flags');
  const company = await boJson(2, 'status', '--company', 'Nope', '--state', state);
  assert.deepEqual(company.error, { code: 'CONFIG', message: '--company: no company Nope in the default ' +
    'companies; the companies are Demo' });
  const range = await bo('export', '--device', 'Tab001', '--vintage', '2020..2018', '--state', state);
  assert.equal(range.code, 2);
  assert.match(range.stderr, /--vintage: "2020\.\.2018" goes from 2020 down to 2018/);
  const missing = await bo('export', '--state', state);
  assert.equal(missing.code, 2, 'a usage error: exit 2');
  assert.match(missing.stderr, /required option '--device <id\.\.\.>' not specified/);
  const both = await bo('import', '--all', '--device', 'Tab001', '--state', state);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give --device <id>\.\.\. or --all, not both/);
  const neither = await bo('import', '--state', state);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /say which devices to import from: give --device <id>\.\.\. or --all\n$/);
});

test('a state or corpus folder that cannot be made is named in one line, with exit code 2',
  { timeout: 60_000, skip: !existsSync('/proc/self') && 'no /proc here' }, async () => {
    // Node's recursive mkdir spins for ever under /proc; a file is no folder to make one in.
    const [proc, file, corpus] = await Promise.all([
      boJson(2, 'status', '--state', '/proc/estock-hil-nope'),
      bo('status', '--state', '/etc/passwd/x'),
      bo('corpus', '/proc/estock-hil-nope'),
    ]);
    assert.match((proc.error as { message: string }).message,
      /^--state: cannot make the state folder \/proc\/estock-hil-nope: ENOENT/);
    assert.equal(file.code, 2);
    assert.match(file.stderr,
      /^estock-hil bo status: --state: cannot make the state folder \/etc\/passwd\/x: ENOTDIR[^\n]*\n$/);
    assert.equal(corpus.code, 2);
    assert.match(corpus.stderr,
      /^estock-hil bo corpus: cannot make the corpus folder \/proc\/estock-hil-nope: [^\n]*\n$/);
  });

test('with --json, a usage error caught by commander is one JSON object on stdout, with exit code 2',
  { timeout: 60_000 }, async () => {
    const [command, choice, required] = await Promise.all([
      boJson(2, 'bogus'),
      boJson(2, 'profile', 'set', 'office', '--tls', 'maybe'),
      boJson(2, 'licence', 'set', '--count', '8'),
    ]);
    assert.deepEqual(command, { command: 'bo',
      error: { code: 'USAGE', message: 'unknown command \'bogus\' (Did you mean corpus?)' } });
    assert.equal(choice.command, 'bo profile set');
    assert.match((choice.error as { message: string }).message,
      /^option '--tls <mode>' argument 'maybe' is invalid\. Allowed choices are off, optional, required\.$/);
    assert.deepEqual(required, { command: 'bo licence set',
      error: { code: 'USAGE', message: 'required option \'--until <YYYY-MM-DD>\' not specified' } });
  });

test('bo status: a licence that refuses every device, and a serve.json left by a serve killed with -9',
  { timeout: 60_000 }, async () => {
    const state = join(folder, 'expired');
    const [served] = defaultCompanies().companies;
    const backOffice = openBackOffice({ folder: join(state, 'bo', 'Demo'), company: served!.company, mapping });
    const { key } = backOffice.setLicences(8, '2020-01-31');
    backOffice.enterCounterKey(counterKeyFor(key));
    backOffice.close();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => gone.once('close', done));
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as { port: number };
    await new Promise((done) => closed.close(done));
    writeFileSync(join(state, SERVE_ADDRESS_NAME), JSON.stringify({ pid: gone.pid, host: '127.0.0.1', port,
      tls: 'off', startedAt: new Date().toISOString() }));

    const [status, text] = await Promise.all([boJson(1, 'status', '--state', state), bo('status', '--state', state)]);
    assert.equal((status.licence as { valid: boolean }).valid, false);
    const devices = status.devices as { deviceId: string; exchanges: boolean; why?: string }[];
    assert.deepEqual(devices.filter((device) => device.exchanges), [], 'the licence refuses every device');
    assert.equal(devices.find((device) => device.deviceId === 'Tab001')?.why, 'refused by the licence');
    assert.equal(status.serve, null);
    assert.match((status.staleServe as { why: string }).why, new RegExp(`^its process ${gone.pid} is gone$`));
    assert.equal(text.code, 1);
    assert.match(text.stdout, /serve: not running \(stale serve\.json, left by a serve that stopped: its process /);
    assert.match(text.stdout, /│ Tab001 │ [0-9a-f]+ +│ yes +│ Admin +│ refused by the licence │/);

    // `bo settings | head -1`: the reader is gone before the first line.
    const child = spawn(process.execPath, [join(root, 'bin', 'estock-hil.js'), 'bo', 'settings', '--state', state],
      { cwd: folder });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('close', done));
    assert.equal(stderr, '', 'no EPIPE stack trace');
    assert.equal(code, 0);
  });

test('without serve, bo export and bo import start the simulator\'s FTP server for their own duration',
  { timeout: 240_000 }, async (t) => {
    const state = join(folder, 'alone');
    const exported = await boJson(0, 'export', '--device', 'Tab001', '--state', state);
    const ftp = exported.ftp as { via: string; host: string; port: number };
    assert.equal(ftp.via, 'own');
    assert.equal(ftp.host, '127.0.0.1');
    const [report] = exported.exports as { device: string; files: { path: string }[]; tables: number }[];
    assert.equal(report!.tables, 52);
    const tree = join(state, 'ftp', 'roots', 'Demo');
    assert.deepEqual(readdirSync(join(tree, 'Sortant', 'eStock', 'Tab001')).sort(),
      ['Tab001.txt', 'Tab001.zip', 'Version.txt']);
    const profiles = await boJson(0, 'profile', 'list', '--state', state);
    assert.equal((profiles.profiles as { port: number }[])[0]!.port, ftp.port,
      'the estock-hil profile named the command\'s own server');

    // A device reaches the tree through a server of its own, as through serve, then it stops.
    const demo = loadCompany('demo');
    const server = await startFtpServer({ port: 0, rootsFolder: join(state, 'ftp', 'roots'),
      transcriptsFolder: join(folder, 'device-transcripts'),
      companies: [{ company: 'Demo', login: demo.ftp.login, password: demo.ftp.password }] });
    const device = openVirtualDevice({ folder: join(folder, 'alone-device'), mapping });
    t.after(() => device.close());
    const file = await receiveAndSend(device, server.port, demo.ftp.login, demo.ftp.password);
    await server.stop();

    const text = await bo('import', '--device', 'Tab001', '--state', state);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^import Tab001: 1 movement imported from 1 zip, 0 anomalies ` +
      `\\(\\d+ ms\\)\n    ${file}: 1 movement, 0 anomalies\n$`));
    const again = await boJson(0, 'import', '--all', '--state', state);
    assert.deepEqual((again.imports as { device: string }[]).map((report) => report.device), ['Tab001'],
      'every device with a folder on the server');
    assert.equal(again.movementsImported, 0, 'the zip was taken by the first import');
    const movements = await boJson(0, 'movements', '--device', 'Tab001', '--state', state);
    assert.deepEqual((movements.movements as { IMPORT_FILE: string; QUANTITE: number }[])
      .map((row) => [row.IMPORT_FILE, row.QUANTITE]), [[file, 2]]);
    const stock = await boJson(0, 'stock', '--depot', 'CHAI', '--state', state);
    assert.ok((stock.stock as { depot: string }[]).every((line) => line.depot === 'CHAI'));

    await boJson(0, 'device', 'change', 'Tab001', '--blocked', '--state', state);
    const blocked = await boJson(1, 'export', '--device', 'Tab001', '--state', state);
    assert.deepEqual(blocked.anomalies, [{ device: 'Tab001', reason: 'device Tab001 is blocked in the device ' +
      'registry: nothing exported' }], 'anomalies: exit 1');
  });

/** A running `estock-hil serve`, its JSON lines read as they come. */
function startServe(args: string[]) {
  const child = spawn(process.execPath, [join(root, 'bin', 'estock-hil.js'), 'serve', ...args, '--json'],
    { cwd: folder });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout })
    .on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child, exited,
    async event(name: string, from = 0): Promise<Record<string, unknown>> {
      const started = Date.now();
      for (;;) {
        const found = lines.slice(from).find((line) => line.event === name);
        if (found !== undefined) return found;
        if (Date.now() - started > WAIT_MS) assert.fail(`no ${name} from serve; stderr: ${stderr}`);
        await new Promise((done) => setTimeout(done, 100));
      }
    },
    count: () => lines.length,
    /** The lines of one event so far. */
    events: (name: string) => lines.filter((line) => line.event === name),
  };
}

test('with serve running: bo goes through serve\'s server, and a device blocked by bo counts for serve\'s ' +
  'next import', { timeout: 240_000 }, async (t) => {
  const state = join(folder, 'served');
  writeFileSync(join(folder, 'bench.yaml'), `
name: Bench
ftp: { login: bench, password: bench-secret }
users: [{ login: Admin, lastName: Administrateur }]
registry: [{ deviceId: Tab001, authKey: 625a3bc6ff4eb194 }]
estock: [{ deviceId: Tab001, login: Admin }]
`);
  writeFileSync(join(folder, 'bench.companies.yaml'), 'companies:\n  - company: ./bench.yaml\n');
  const serve = startServe(['--port', '0', '--tls', 'off', '--companies', 'bench.companies.yaml', '--state', state]);
  t.after(() => serve.child.kill('SIGKILL'));
  const ready = await serve.event('ready') as { ftp: { port: number } };

  const common = ['--companies', 'bench.companies.yaml', '--state', state];
  const status = await boJson(0, 'status', ...common);
  assert.equal((status.serve as { port: number }).port, ready.ftp.port);
  await boJson(0, 'device', 'change', 'Tab001', '--blocked', ...common);

  const device = openVirtualDevice({ folder: join(folder, 'served-device'), mapping });
  t.after(() => device.close());
  const before = serve.count();
  const file = await receiveAndSend(device, ready.ftp.port, 'bench', 'bench-secret');
  const refused = await serve.event('import', before);
  assert.equal(refused.movementsImported, 0);
  assert.deepEqual(refused.anomalies, [
    { reason: 'device Tab001 is blocked in the device registry: nothing imported' },
    { file: `Entrant/eStock/Tab001/MvtStocks/${file}`, reason: 'not imported, left in the inbox' },
  ], 'serve read the registry bo changed, without a restart');

  await boJson(0, 'device', 'change', 'Tab001', '--no-blocked', ...common);
  const imported = await boJson(0, 'import', '--device', 'Tab001', ...common);
  assert.deepEqual(imported.ftp, { via: 'serve', host: '127.0.0.1', port: ready.ftp.port });
  assert.equal(imported.movementsImported, 1);
  assert.deepEqual((imported.imports as { zips: { name: string }[] }[])[0]!.zips.map((zip) => zip.name), [file]);
  const exported = await boJson(0, 'export', '--device', 'Tab001', ...common);
  assert.equal((exported.exports as { tables: number }[])[0]!.tables, 52);
  await serve.event('session-end', serve.count() - 1);
  const loggedIn = new Set(serve.events('login').map((line) => line.session));
  assert.deepEqual(serve.events('session-start').filter((line) => !loggedIn.has(line.session)), [],
    'every FTP session logged in: bo checks that serve runs on its control channel, not with a bare connection');
  assert.ok(serve.events('login').some((line) => line.client === 'estock-hil back office'),
    'the back office\'s sessions name it');

  serve.child.kill('SIGTERM');
  assert.equal(await serve.exited, 0);
  assert.equal(existsSync(join(state, SERVE_ADDRESS_NAME)), false, 'serve removes its address when it stops');
});

test('a serve that holds the state folder but does not answer is named, with exit code 2', { timeout: 120_000 },
  async (t) => {
    const state = join(folder, 'dead');
    const lock = await lockStateFolder(state, () => {});
    t.after(() => lock.release());
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as { port: number };
    await new Promise((done) => closed.close(done));
    writeFileSync(join(state, SERVE_ADDRESS_NAME), JSON.stringify({ pid: 1, host: '127.0.0.1', port, tls: 'off',
      startedAt: new Date().toISOString() }));

    const ran = await boJson(2, 'import', '--device', 'Tab001', '--state', state);
    assert.equal((ran.error as { code: string }).code, 'SERVE_UNREACHABLE');
    assert.match((ran.error as { message: string }).message,
      new RegExp(`serve of the state folder .*dead \\(pid 1\\) does not answer on 127\\.0\\.0\\.1:${port}`));
  });

test('bo corpus writes the bad-input corpus, byte for byte what the tests import', { timeout: 60_000 }, async () => {
  const target = join(folder, 'corpus');
  const written = await boJson(0, 'corpus', target, '--device', 'Tab002');
  const cases = await buildCorpus(mapping, { deviceId: 'Tab002' });
  assert.equal(written.zips, cases.length);
  for (const badInput of cases) {
    assert.ok(readFileSync(join(target, badInput.fileName)).equals(badInput.bytes), badInput.name);
  }
  const refused = await bo('corpus', join(folder, 'other'), '--device', '../x');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--device: "\.\.\/x" is not a device id/);
  assert.equal(existsSync(join(folder, 'other')), false);
});

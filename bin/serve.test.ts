import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from 'basic-ftp';
import { openVirtualDevice } from '../simulator/device/index.ts';
import { loadMapping } from '../simulator/exchange/index.ts';
import { EXPORT_SESSIONS_HEADING, type DeviceSettingsLine, type ReadyLine } from './serve-lines.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'hil-serve-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const WAIT_MS = 8000;

// One active tablet, one not active, and a second company whose login is disabled: few exports, a fast start.
writeFileSync(join(folder, 'bench.yaml'), `
name: Bench
ftp: { login: bench, password: bench-secret }
users: [{ login: Admin, lastName: Administrateur }]
registry:
  - { deviceId: Tab001, authKey: 625a3bc6ff4eb194 }
  - { deviceId: Tab002, authKey: d4d5e64e32fca80d }
estock:
  - { deviceId: Tab001, login: Admin }
  - { deviceId: Tab002, login: Admin, active: false }
`);
writeFileSync(join(folder, 'bench-only.yaml'), 'companies:\n  - company: ./bench.yaml\n');
writeFileSync(join(folder, 'companies.yaml'), `
companies:
  - company: ./bench.yaml
  - { company: domaine, disabled: true }
`);

/** A running `estock-hil serve`, its stdout read line by line. */
class Serve {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [join(root, 'bin', 'estock-hil.js'), 'serve', ...args], { cwd: folder });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.waiters.forEach((wake) => wake());
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  /** The first line (from `from`) that `match` accepts; fails after WAIT_MS, quoting what came. */
  async waitFor(match: (line: string) => boolean, what: string, from = 0): Promise<string> {
    const started = Date.now();
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      if (Date.now() - started > WAIT_MS) {
        const stdout = this.lines.join('\n');
        assert.fail(`no ${what} within ${WAIT_MS} ms; stdout:\n${stdout}\nstderr:\n${this.stderr.join('')}`);
      }
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 200);
        this.waiters.add(() => (clearTimeout(timer), wake()));
      });
      this.waiters.clear();
    }
  }

  json(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async event(name: string, from = 0): Promise<Record<string, unknown>> {
    const line = await this.waitFor((text) => (JSON.parse(text) as { event: string }).event === name, name, from);
    return JSON.parse(line) as Record<string, unknown>;
  }

  async stop(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return await this.exited;
  }
}

async function tryLogin(port: number, user: string, password: string): Promise<void> {
  const client = new Client(5000);
  try {
    await client.access({ host: '127.0.0.1', port, user, password });
  } catch {
    // The refusal is what the test looks for, in serve's events.
  } finally {
    client.close();
  }
}

test('serve prints the settings, logs sessions, imports an upload on arrival, stops on SIGINT and keeps its state',
  { timeout: 30_000 }, async (t) => {
    const state = join(folder, 'state');
    const args = ['--port', '0', '--companies', 'companies.yaml', '--state', state, '--tls', 'optional'];
    const first = new Serve([...args, '--json']);
    t.after(() => first.child.kill('SIGKILL'));
    const ready = await first.event('ready') as unknown as ReadyLine;

    const lines = first.json();
    assert.ok(lines.every((line) => typeof line.time === 'string' && !Number.isNaN(Date.parse(line.time))),
      'every line has its time');
    const devices = lines.filter((line) => line.event === 'device') as unknown as DeviceSettingsLine[];
    const readyAt = lines.findIndex((line) => line.event === 'ready');
    const exporting = lines.slice(0, readyAt - devices.length);
    assert.deepEqual(lines.slice(readyAt - devices.length, readyAt + 1).map((line) => line.event),
      [...devices.map(() => 'device'), 'ready'], 'the settings come right before ready');
    assert.deepEqual(exporting.map((line) => line.event === 'upload' ? line.path : line.event), [
      'session-start', 'login', 'Sortant/eStock/Tab001/Tab001.zip.part', 'Sortant/eStock/Tab001/Version.txt.part',
      'Sortant/eStock/Tab001/Tab001.txt.part', 'session-end',
    ], 'before them, the back office\'s export session, ended');
    assert.deepEqual(devices.map((line) => `${line.company}/${line.device}`),
      ['Bench/Tab001', 'Domaine des Essais/CAVE-01', 'Domaine des Essais/CAVE-02']);
    const [tab001] = devices;
    assert.deepEqual(tab001!.settings, {
      host: '127.0.0.1', port: ready.ftp.port, deviceId: 'Tab001', user: 'bench', password: 'bench-secret',
      tls: 'optional',
    });
    assert.equal(tab001!.export?.tables, 52);
    assert.equal(devices[1]!.loginDisabled, true);
    assert.equal(devices[1]!.export, undefined, 'a disabled login refuses its back office: nothing exported');
    const bench = ready.companies[0]!;
    assert.equal(bench.catalog, 'seeded');
    assert.equal(bench.movementsImported, 0);
    assert.deepEqual(bench.skipped, [{ device: 'Tab002', reason: 'not active in the eStock device list' }]);
    assert.ok(ready.ftp.tls.certFile?.startsWith(state), 'the generated certificate is in the state folder');

    await tryLogin(ready.ftp.port, 'bench', 'not-this-one');
    await tryLogin(ready.ftp.port, 'domaine', 'domaine-estock');
    const refusals = async () => first.json().filter((line) => line.event === 'login-refused');
    await first.event('login-refused');
    await first.waitFor((line) => line.includes('"reason":"disabled"'), 'the refusal of the disabled company');
    assert.deepEqual((await refusals()).map((line) => [line.login, line.reason]),
      [['bench', 'wrong-password'], ['domaine', 'disabled']]);

    const mapping = loadMapping('eStock', '1.00');
    const device = openVirtualDevice({ folder: join(folder, 'device'), mapping });
    t.after(() => device.close());
    const { host, port, user, password, deviceId } = tab001!.settings;
    device.configure({ deviceId, login: 'Admin', ftp: { host, port, user, password } });
    const received = await device.receive();
    assert.equal(received.tables, 52);
    const line = device.stock().find((stock) => stock.quantity >= 2)!;
    const { lot, depot, location } = line;
    device.move({ type: 'exit', lot, depot, location, quantity: 2, reason: 'VTE' });
    const sent = await device.send();

    const imported = await first.event('import');
    assert.equal(imported.company, 'Bench');
    assert.equal(imported.device, 'Tab001');
    assert.equal(imported.movementsImported, 1);
    assert.deepEqual(imported.anomalies, []);
    assert.deepEqual(imported.uploads, [`Entrant/eStock/Tab001/MvtStocks/${sent.file}`]);
    const events = first.json().slice(readyAt + 1).map((each) => each.event);
    for (const name of ['session-start', 'login', 'download', 'upload', 'session-end']) {
      assert.ok(events.includes(name), `no ${name} event`);
    }
    assert.equal(device.pendingMovements().length, 0, 'the device took its upload as confirmed');

    assert.equal(await first.stop('SIGINT'), 0, first.stderr.join(''));
    // The back office's own session may still end after `stopping`: `stopped` is last.
    const last = first.json().map((each) => each.event);
    assert.equal(last.at(-1), 'stopped');
    assert.ok(last.slice(last.indexOf('stopping') + 1, -1).every((event) => event === 'session-end'),
      `after stopping: ${last.slice(last.indexOf('stopping')).join(', ')}`);

    const second = new Serve(args);
    t.after(() => second.child.kill('SIGKILL'));
    await second.waitFor((text) => text.startsWith('Waiting for devices'), 'the ready message');
    const output = second.lines.join('\n');
    assert.match(output, new RegExp(`${EXPORT_SESSIONS_HEADING.replace(/[().]/g, '\\$&')}\n` +
      '  \\d\\d:\\d\\d:\\d\\d s0001 session opened from 127\\.0\\.0\\.1\n(  .*\n)*' +
      '  .* s0001 session closed, transcript .*\n\nBench: back office'), 'the export session, then the settings');
    assert.match(output, /Bench: back office .*bo\.sqlite, catalog kept from the last run, 1 movement imported/);
    assert.match(output, new RegExp(`certificate ${ready.ftp.tls.certFile!.replace(/[.]/g, '\\.')}`));
    assert.match(output, /« Nom d'utilisateur » bench\n\s+« Mot de passe » +bench-secret/);
    assert.match(output, /Tab001 +key 625a3bc6ff4eb194 +exported 52 tables/);
    assert.match(output, /DISABLED: the FTP login domaine is refused/);
    assert.equal(await second.stop('SIGTERM'), 0, second.stderr.join(''));
    assert.ok(readFileSync(ready.ftp.tls.certFile!).length > 0);
  });

test('serve refuses a companies file with one FTP login twice, naming the file and the key', async () => {
  writeFileSync(join(folder, 'twice.yaml'), 'companies:\n  - company: demo\n  - company: demo\n');
  const serve = new Serve(['--port', '0', '--companies', 'twice.yaml', '--state', join(folder, 'twice')]);

  assert.equal(await serve.exited, 2);
  assert.match(serve.stderr.join(''),
    /twice\.yaml:3: companies\.1\.company: FTP login "Demo" of Demo is also the login/);
});

test('serve --host 0.0.0.0 asks for --passive-host and lists the addresses to choose from', async () => {
  const serve = new Serve(['--host', '0.0.0.0', '--port', '0', '--state', join(folder, 'any')]);

  assert.equal(await serve.exited, 2);
  assert.match(serve.stderr.join(''), /--host 0\.0\.0\.0 needs --passive-host, .* or 10\.0\.2\.2 for an Android/);
});

test('serve --tls required exports all the same, refuses a plain login and serves a TLS one', async (t) => {
  const serve = new Serve(['--port', '0', '--companies', 'companies.yaml', '--state', join(folder, 'tls'),
    '--tls', 'required', '--json']);
  t.after(() => serve.child.kill('SIGKILL'));
  const ready = await serve.event('ready') as unknown as ReadyLine;
  const devices = serve.json().filter((line) => line.event === 'device') as unknown as DeviceSettingsLine[];
  assert.equal(devices[0]?.settings.tls, 'required');
  assert.equal(devices[0]?.export?.tables, 52, 'the back office exports whatever the TLS mode');

  await tryLogin(ready.ftp.port, 'bench', 'bench-secret');
  assert.equal((await serve.event('login-refused')).reason, 'tls-required');
  const client = new Client(5000);
  try {
    await client.access({
      host: '127.0.0.1', port: ready.ftp.port, user: 'bench', password: 'bench-secret',
      secure: true, secureOptions: { rejectUnauthorized: false },
    });
    await client.downloadTo(new Writable({ write: (_chunk, _encoding, done) => done() }),
      '/Sortant/eStock/Tab001/Tab001.zip');
  } finally {
    client.close();
  }
  const download = await serve.event('download');
  assert.equal(download.path, 'Sortant/eStock/Tab001/Tab001.zip');
  assert.equal(await serve.stop('SIGTERM'), 0, serve.stderr.join(''));
});

test('a second serve on the same state folder is refused, naming the folder; the first goes on',
  { timeout: 30_000 }, async (t) => {
    const state = join(folder, 'shared');
    const args = ['--port', '0', '--companies', 'bench-only.yaml', '--state', state, '--json'];
    const first = new Serve(args);
    t.after(() => first.child.kill('SIGKILL'));
    const ready = await first.event('ready') as unknown as ReadyLine;

    const second = new Serve(args);
    t.after(() => second.child.kill('SIGKILL'));
    assert.equal(await second.exited, 2);
    assert.match(second.stderr.join(''), new RegExp(`the state folder ${state} is in use by another estock-hil ` +
      'serve \\(its lock .*serve\\.lock was touched \\d+ s ago\\): stop that one, or give this one another --state'));
    assert.deepEqual(second.lines, [], 'nothing exported, nothing printed');

    await tryLogin(ready.ftp.port, 'bench', 'not-this-one');
    assert.equal((await first.event('login-refused')).session, 's0002', 'the first serve still serves');
    assert.equal(await first.stop('SIGTERM'), 0, first.stderr.join(''));
    const third = new Serve(args);
    t.after(() => third.child.kill('SIGKILL'));
    await third.event('ready');
    assert.equal(await third.stop('SIGINT'), 0, 'the lock of a serve that stopped is gone');
  });

test('serve names the flags the user typed in a wrong address or port range', { timeout: 30_000 }, async (t) => {
  const cases: [string[], RegExp][] = [
    [['--host', '203.0.113.7'], /--host 203\.0\.113\.7 is not an address of this machine/],
    [['--passive-host', '203.0.113.7'], /--passive-host 203\.0\.113\.7 is not an address of this machine/],
    [['--passive-ports', '5-1'], /--passive-ports 5-1 is not a range of ports/],
  ];
  for (const [args, message] of cases) {
    const serve = new Serve([...args, '--port', '0', '--state', join(folder, 'wrong')]);
    t.after(() => serve.child.kill('SIGKILL'));
    assert.equal(await serve.exited, 2, args.join(' '));
    const stderr = serve.stderr.join('');
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /passiveHost|passivePorts/);
  }
});

test('serve listens on any loopback address, as on 127.0.0.1', {
  timeout: 30_000,
  skip: process.platform !== 'linux' && 'only Linux routes all of 127.0.0.0/8 to the loopback',
}, async (t) => {
  const serve = new Serve(['--host', '127.0.0.2', '--port', '0', '--companies', 'bench-only.yaml',
    '--state', join(folder, 'loopback'), '--json']);
  t.after(() => serve.child.kill('SIGKILL'));
  const ready = await serve.event('ready') as unknown as ReadyLine;
  assert.equal(ready.ftp.passiveHost, '127.0.0.2');

  const client = new Client(5000);
  try {
    await client.access({ host: '127.0.0.2', port: ready.ftp.port, user: 'bench', password: 'bench-secret' });
    const listed = await client.list('/Sortant/eStock/Tab001');
    assert.deepEqual(listed.map((file) => file.name).sort(), ['Tab001.txt', 'Tab001.zip', 'Version.txt']);
  } finally {
    client.close();
  }
  assert.equal(await serve.stop('SIGTERM'), 0, serve.stderr.join(''));
});

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'hil-faults-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const WAIT_MS = 15_000;

writeFileSync(join(folder, 'bench-dos.yaml'),
  'name: bench-dos\ndescription: MS-DOS listing\nlisting: dos\nmachineListing: false\n');
writeFileSync(join(folder, 'stalls.yaml'), 'seed: 42\nfaults:\n  - stall: { direction: upload, afterBytes: 1024 }\n');

/** The replies of a bare control connection to `commands`, sent one after the other after the greeting. */
async function repliesTo(port: number, ...commands: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  const replies = createInterface({ input: socket })[Symbol.asyncIterator]();
  try {
    await replies.next();
    const answers: string[] = [];
    for (const command of commands) {
      socket.write(`${command}\r\n`);
      answers.push(String((await replies.next()).value));
    }
    return answers;
  } finally {
    socket.destroy();
  }
}

function estockHil(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin', 'estock-hil.js'), ...args], { cwd: folder, encoding: 'utf8' });
}

test('faults set, add, show, profile and clear reach a running serve, which prints each change',
  { timeout: 60_000 }, async (t) => {
    const state = join(folder, 'state');
    const serve = spawn(process.execPath, [join(root, 'bin', 'estock-hil.js'), 'serve', '--port', '0',
      '--state', state, '--json', '--fault', '{latency: {ms: 50, login: nobody}}', '--seed', '3',
      '--ftp-profile', './bench-dos.yaml'],
    { cwd: folder });
    t.after(() => serve.kill('SIGKILL'));
    const lines: Record<string, unknown>[] = [];
    createInterface({ input: serve.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
    const stderr: string[] = [];
    serve.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const event = async (name: string, count = 1) => {
      for (const started = Date.now(); Date.now() - started < WAIT_MS;) {
        const found = lines.filter((line) => line.event === name);
        if (found.length >= count) return found[count - 1]!;
        await new Promise((wake) => setTimeout(wake, 100));
      }
      assert.fail(`no ${name} #${count} within ${WAIT_MS} ms: ${JSON.stringify(lines)} ${stderr.join('')}`);
    };

    const ready = await event('ready') as {
      faults: { seed: number; faults: unknown[]; profile: string }; ftp: { port: number };
    };
    assert.deepEqual([ready.faults.seed, ready.faults.faults.length, ready.faults.profile], [3, 1, 'bench-dos']);
    assert.match((await repliesTo(ready.ftp.port, 'MLSD'))[0]!, /^500 /);
    const { command, reply, why } = await event('profile-refusal');
    assert.deepEqual([command, reply, why], ['MLSD', 500, 'bench-dos: MLSD not offered']);
    assert.match(readFileSync(join(state, 'serve.json'), 'utf8'), /"control": ".*serve\.sock"/);

    const set = estockHil('faults', 'set', '--state', state, '--fault', '{cut: {direction: upload, atPercent: 40}}',
      '--fault', 'bandwidth: 4g', '--seed', '9');
    assert.equal(set.status, 0, set.stderr);
    assert.equal(set.stdout, 'faults set:\nseed 9\n  1. cut: { direction: upload, atPercent: 40 }  (fired 0 times)\n' +
      '  2. bandwidth: { network: 4g }  (fired 0 times)\nprofile bench-dos: MS-DOS listing\n');
    const changed = await event('faults') as { change: string; seed: number; faults: unknown[] };
    assert.deepEqual([changed.change, changed.seed, changed.faults.length], ['set', 9, 2]);

    const add = estockHil('faults', 'add', '--state', state, '--file', 'stalls.yaml');
    assert.equal(add.status, 0, add.stderr);
    const show = estockHil('faults', 'show', '--state', state, '--json');
    const shown = JSON.parse(show.stdout) as { seed: number; faults: { fault: number; fired: number }[] };
    assert.deepEqual([shown.seed, shown.faults.map(({ fault, fired }) => `${fault}:${fired}`)],
      [9, ['1:0', '2:0', '3:0']]);

    const profile = estockHil('faults', 'profile', 'none', '--state', state);
    assert.equal(profile.status, 0, profile.stderr);
    assert.match(profile.stdout, /^server profile none:\n[^]*profile none: our own server's behaviour\n$/);
    assert.equal((await event('profile')).profile, null);
    assert.equal(estockHil('faults', 'clear', '--state', state).status, 0);
    assert.equal((await event('faults', 3) as { change: string }).change, 'clear');

    const wrong = estockHil('faults', 'add', '--state', state, '--fault', 'bandwidth: 5g');
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr,
      /--fault "bandwidth: 5g": bandwidth.network: expected one of edge, 3g, 4g, wifi, got text "5g"/);

    // Latency shapes every command; the console tells it once a session.
    assert.equal(estockHil('faults', 'set', '--state', state, '--fault', 'latency: 1').status, 0);
    assert.deepEqual((await repliesTo(ready.ftp.port, 'NOOP', 'NOOP', 'NOOP')).map((line) => line.slice(0, 3)),
      ['200', '200', '200']);
    const latency = await event('fault') as { session: string; fault: { text: string } };
    assert.match(latency.fault.text, /\(and each command of the session after it: see its transcript\)$/);
    await new Promise((wake) => setTimeout(wake, 500));
    assert.equal(lines.filter((line) => line.event === 'fault').length, 1);

    serve.kill('SIGTERM');
    await new Promise((done) => serve.once('exit', done));
    const gone = estockHil('faults', 'show', '--state', state);
    assert.equal(gone.status, 2);
    assert.match(gone.stderr, /no estock-hil serve runs on the state folder .*state: there is no serve\.json/);
  });

test('run adds --fault to every scenario\'s server, and refuses a fault it cannot read, naming it', () => {
  const file = join(folder, 'fired.yaml');
  writeFileSync(file, 'setup: { devices: [Tab001] }\nsteps:\n  - ftp.fired: { fault: 1, exactly: 0 }\n');
  const never = '{ reply: { verb: DELE, login: nobody, code: 550 } }';
  const passing = estockHil('run', file, '--reports', join(folder, 'reports'), '--fault', never, '--seed', '5');
  assert.equal(passing.status, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /^Every scenario's FTP server under: fault reply: \{ verb: DELE, .*\}; seed 5$/m);
  const summaryFile = /^Summary: (.*)$/m.exec(passing.stdout)?.[1] ?? '';
  assert.deepEqual(JSON.parse(readFileSync(summaryFile, 'utf8')).ftp,
    { faults: ['reply: { verb: DELE, login: nobody, code: 550 }'], seed: 5 });
  const without = estockHil('run', file, '--reports', join(folder, 'reports'));
  assert.equal(without.status, 1, 'without --fault there is no fault 1');
  assert.match(without.stdout, /no fault 1 in force/);

  const wrong = estockHil('run', file, '--fault', 'cut: { atBytes: 1, atPercent: 2 }');
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /--fault "cut: \{ atBytes: 1, atPercent: 2 \}": cut: give atBytes or atPercent/);
  const seed = estockHil('run', file, '--seed', 'x');
  assert.equal(seed.status, 2);
  assert.match(seed.stderr, /--seed: x is not a whole number/);
});

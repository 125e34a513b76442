import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { HilError } from '../simulator/errors.ts';
import { FaultEngine } from '../simulator/ftp/faults/fault-engine.ts';
import { ProfileHolder } from '../simulator/ftp/profiles/profile-holder.ts';
import { askServe, describeControlState } from './faults.ts';
import { writeServeAddress } from './serve-address.ts';
import { controlSocketPath, startControl, type ControlRequest } from './serve-control.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-control-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const PROFILE = { name: 'bench-dos', description: 'MS-DOS listing', listing: 'dos' as const };

/** A control channel on a FaultEngine and a ProfileHolder, named in the serve.json of a state folder of its own. */
async function served(name: string) {
  const state = join(folder, name);
  mkdirSync(state);
  const faults = new FaultEngine();
  const profile = new ProfileHolder();
  const changes: string[] = [];
  const control = await startControl(join(folder, `${name}.sock`), {
    faults, profile,
    onChange: (request, now) => changes.push(`${request.op} -> ${now.faults.length} faults, ` +
      `${now.profile?.name ?? 'no profile'}`),
  });
  writeServeAddress(state, { host: '127.0.0.1', port: 2121, tls: 'off', control: control.socket });
  return { state, faults, profile, changes, control };
}

async function refusal(promise: Promise<unknown>): Promise<HilError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HilError, String(error));
    return error;
  }
  assert.fail('the request went through');
}

test('requests through the socket reach the server\'s faults and profile, and each change is told', async (t) => {
  const { state, faults, profile, changes, control } = await served('changes');
  t.after(() => control.close());

  const ask = (request: ControlRequest) => askServe(state, request);
  await ask({ op: 'set', faults: [{ cut: { direction: 'upload', atPercent: 40 } }], seed: 7 });
  await ask({ op: 'add', faults: [{ bandwidth: { network: '4g' } }] });
  assert.deepEqual(faults.current().faults.map(({ fault, spec }) => [fault, Object.keys(spec)[0]]),
    [[1, 'cut'], [2, 'bandwidth']]);
  assert.equal(faults.current().seed, 7);

  await ask({ op: 'profile', profile: PROFILE });
  assert.equal(profile.current()?.listing, 'dos');
  const shown = await ask({ op: 'show' });
  assert.deepEqual(describeControlState(shown), [
    'seed 7',
    '  1. cut: { direction: upload, atPercent: 40 }  (fired 0 times)',
    '  2. bandwidth: { network: 4g }  (fired 0 times)',
    'profile bench-dos: MS-DOS listing',
  ]);
  await ask({ op: 'clear' });
  await ask({ op: 'profile', profile: null });
  assert.deepEqual(faults.current().faults, []);
  assert.equal(profile.current(), undefined);
  assert.deepEqual(changes, ['set -> 1 faults, no profile', 'add -> 2 faults, no profile',
    'profile -> 2 faults, bench-dos', 'clear -> 0 faults, bench-dos', 'profile -> 0 faults, no profile']);
});

test('a request that is not in the fault format is refused, naming the key, and changes nothing', async (t) => {
  const { state, faults, control } = await served('refused');
  t.after(() => control.close());

  const bad = { op: 'set', faults: [{ cut: { direction: 'sideways', atPercent: 40 } }] } as unknown as ControlRequest;
  const error = await refusal(askServe(state, bad));
  assert.equal(error.code, 'SERVE_REFUSED');
  assert.equal(error.message, 'serve refused the request: faults.0.cut.direction: expected one of upload, ' +
    'download, both, got text "sideways"');
  assert.deepEqual(faults.current().faults, []);

  const unknown = await refusal(askServe(state, { op: 'explode' } as unknown as ControlRequest));
  assert.equal(unknown.message, 'serve refused the request: op: expected one of set, add, clear, show, profile, ' +
    'got text "explode"');
  const seeded = await refusal(askServe(state, { op: 'add', faults: [], seed: 3 } as unknown as ControlRequest));
  assert.equal(seeded.message, 'serve refused the request: (request): add keeps the seed in force; ' +
    'a seed goes with set');

  const connection = createConnection(control.socket);
  t.after(() => connection.destroy());
  connection.write('not json\n');
  const [line] = await new Promise<string[]>((answered) =>
    createInterface({ input: connection }).once('line', (text) => answered([text])));
  assert.match(line!, /"ok":false,"error":"not a JSON line: /);
});

test('no serve, or a serve gone without removing its serve.json, is told as not running', async () => {
  const none = join(folder, 'never-served');
  const missing = await refusal(askServe(none, { op: 'show' }));
  assert.equal(missing.code, 'SERVE_NOT_RUNNING');
  assert.match(missing.message,
    /no estock-hil serve runs on the state folder .*never-served: there is no serve\.json/);

  const { state, control } = await served('gone');
  await control.close();
  const stale = await refusal(askServe(state, { op: 'show' }));
  assert.equal(stale.code, 'SERVE_NOT_RUNNING');
  assert.match(stale.message, new RegExp('the serve named in .*gone/serve\\.json \\(pid \\d+, started .*\\) ' +
    'does not answer on .*gone\\.sock \\(ENOENT\\): it is no longer running'));
});

test('a state folder too deep for a Unix socket gets its socket in the temporary folder', () => {
  assert.equal(controlSocketPath('/srv/bench/state'), '/srv/bench/state/serve.sock');
  const deep = controlSocketPath(`/srv/${'very-long-folder-name/'.repeat(6)}state`);
  assert.ok(deep.startsWith(tmpdir()) && deep.endsWith('.sock'), deep);
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HilError } from '../simulator/errors.ts';
import { lockStateFolder, STATE_LOCK_NAME } from './serve-lock.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-serve-lock-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const lockModule = join(dirname(fileURLToPath(import.meta.url)), 'serve-lock.ts');
// proper-lockfile's shortest stale time: a killed process's lock is taken over after 2 s.
const STALE_MS = 2000;

const keepQuiet = (): void => {};

async function refusal(state: string): Promise<HilError> {
  const error = await lockStateFolder(state, keepQuiet, STALE_MS)
    .then(() => undefined, (failure: unknown) => failure);
  assert.ok(error instanceof HilError, `not refused: ${String(error)}`);
  return error;
}

test('a state folder is made and locked; a second lock is refused until released', async () => {
  const state = join(folder, 'made', 'state');
  const lock = await lockStateFolder(state, keepQuiet, STALE_MS);
  assert.equal(lock.lockFile, join(state, STATE_LOCK_NAME));
  assert.ok(existsSync(lock.lockFile));

  const error = await refusal(state);
  assert.equal(error.code, 'STATE_IN_USE');
  assert.match(error.message, new RegExp(`^the state folder ${state} is in use by another ` +
    `estock-hil serve \\(its lock ${lock.lockFile} was touched \\d+ s ago\\): stop that one, ` +
    'or give this one another --state'));

  await lock.release();
  await lock.release();
  assert.equal(existsSync(lock.lockFile), false);
  const again = await lockStateFolder(state, keepQuiet, STALE_MS);
  await again.release();
});

test('a lock left by a killed process is taken over once stale', { timeout: 20_000 }, async () => {
  const state = join(folder, 'killed');
  const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    `const { lockStateFolder } = await import(${JSON.stringify(lockModule)});
     await lockStateFolder(process.argv[1], () => {}, ${STALE_MS});
     console.log('locked');
     setInterval(() => {}, 1000);`, state], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => holder.once('exit', done));
  for await (const line of createInterface({ input: holder.stdout })) {
    if (line === 'locked') break;
  }

  assert.equal((await refusal(state)).code, 'STATE_IN_USE', 'held by a live process');
  holder.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(join(state, STATE_LOCK_NAME)), 'a killed process cannot remove its lock');

  const started = Date.now();
  for (;;) {
    const lock = await lockStateFolder(state, keepQuiet, STALE_MS).catch(() => undefined);
    if (lock !== undefined) {
      await lock.release();
      break;
    }
    assert.ok(Date.now() - started < 3 * STALE_MS, 'the killed process\'s lock was never taken over');
    await new Promise((wake) => setTimeout(wake, 250));
  }
});

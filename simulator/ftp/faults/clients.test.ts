import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { DEMO, startTestServer } from '../test-fixture.ts';
import { faultSetSchema } from './fault-schema.ts';
import { INBOX_ZIP } from './fault-test-fixture.ts';

// curl, as libcurl-based apps and people checking a server by hand meet the faults.

const run = promisify(execFile);

async function curlServer(t: Parameters<typeof startTestServer>[0], faults: unknown[]) {
  const started = await startTestServer(t, { tls: { mode: 'optional' }, faults: faultSetSchema.parse({ faults }) });
  const root = started.server.companyRoot('Demo');
  mkdirSync(join(root, 'Entrant/eStock/T1/MvtStocks'), { recursive: true });
  const local = join(started.folder, 'local.zip');
  /** Runs curl on `path`; resolves with its exit code and what it said on stderr. */
  const curl = async (secure: boolean, path: string, args: string[]): Promise<{ code: number; stderr: string }> => {
    const options = ['--silent', '--show-error', '--max-time', '20', '--ftp-pasv', '--user',
      `${DEMO.login}:${DEMO.password}`, ...(secure ? ['--ssl-reqd', '--insecure'] : [])];
    try {
      await run('curl', [...options, ...args, `${started.server.url}/${path}`]);
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    }
  };
  return { ...started, root, local, curl };
}

for (const secure of [false, true]) {
  const transport = secure ? 'TLS' : 'plain';

  test(`curl, ${transport}: an upload cut at 40% fails and leaves 40%; the upload sent again completes`, async (t) => {
    const { curl, root, local } = await curlServer(t, [{ cut: { direction: 'upload', atPercent: 40 } }]);
    const zip = randomBytes(50_000);
    writeFileSync(local, zip);

    const first = await curl(secure, INBOX_ZIP, ['--upload-file', local]);
    assert.notEqual(first.code, 0, 'curl should fail');
    assert.equal(readFileSync(join(root, INBOX_ZIP)).length, 20_000);
    assert.equal((await curl(secure, INBOX_ZIP, ['--upload-file', local])).code, 0);
    assert.ok(readFileSync(join(root, INBOX_ZIP)).equals(zip));
  });

  test(`curl, ${transport}: a STOR answered 452 instead writes nothing; a stalled download completes`, async (t) => {
    const { curl, root, local, server } = await curlServer(t, [
      { reply: { verb: 'STOR', code: 452 } }, { stall: { verb: 'RETR', afterPercent: 50, forMs: 300 } },
    ]);
    const file = randomBytes(80_000);
    writeFileSync(join(root, 'Sortant/eStock/T1.zip'), file);
    writeFileSync(local, file);

    const refused = await curl(secure, INBOX_ZIP, ['--upload-file', local]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /452/);
    assert.equal(existsSync(join(root, INBOX_ZIP)), false);
    const fetched = join(root, 'fetched.zip');
    assert.equal((await curl(secure, 'Sortant/eStock/T1.zip', ['--output', fetched])).code, 0);
    assert.ok(readFileSync(fetched).equals(file));
    assert.deepEqual(server.faults.current().faults.map(({ fired }) => fired), [1, 1]);
  });
}

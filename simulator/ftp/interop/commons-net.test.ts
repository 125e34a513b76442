import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireTool, runTool } from './client-run.ts';
import { DEMO } from './fixture.ts';
import { operationLines, operationResults } from './line-client.ts';
import { describeLineClient } from './line-client-suite.ts';

// Apache Commons Net: the FTP library of many Java and Android apps. Its FTPSClient opens every
// data link with a TLS handshake of its own, and reads the reply to each command strictly.

const SOURCE = fileURLToPath(new URL('CommonsNetClient.java', import.meta.url));
/** Where Debian's libcommons-net-java puts the library. */
const COMMONS_NET_JAR = '/usr/share/java/commons-net.jar';
// A JVM that starts fast matters more here than one that runs fast.
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

let classes = '';

/**
 * Compiles CommonsNetClient.java once per version of its source: the classes
 * stay in the system's temporary folder, so later runs skip javac.
 */
async function compiledClient(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(readFileSync(COMMONS_NET_JAR))
    .digest('hex').slice(0, 16);
  const folder = join(tmpdir(), `estock-hil-commons-net-${hash}`);
  if (existsSync(join(folder, 'CommonsNetClient.class'))) return folder;
  const building = mkdtempSync(join(tmpdir(), 'estock-hil-commons-net-build-'));
  const javac = ['-encoding', 'UTF-8', '-cp', COMMONS_NET_JAR, '-d', building, SOURCE];
  await runTool('javac', javac, { timeoutMs: 60_000 });
  try {
    renameSync(building, folder);
  } catch {
    // Another run compiled the same source first.
    rmSync(building, { recursive: true, force: true });
  }
  return folder;
}

before(async () => {
  await requireTool('javac', '-version', 'openjdk-17-jdk-headless');
  if (!existsSync(COMMONS_NET_JAR)) {
    throw new Error(`no ${COMMONS_NET_JAR}: install it with "apt-get install libcommons-net-java" ` +
      '(.ci/run does it in CI)');
  }
  classes = await compiledClient();
});

describeLineClient('Commons Net', async (ftp, secure, operations) => {
  const args = [...JVM_OPTIONS, '-cp', `${classes}:${COMMONS_NET_JAR}`, 'CommonsNetClient',
    '127.0.0.1', String(ftp.server.port), DEMO.login, DEMO.password, secure ? 'tls' : 'plain'];
  const { stdout } = await runTool('java', args, { input: operationLines(operations) });
  return operationResults(stdout, operations);
});

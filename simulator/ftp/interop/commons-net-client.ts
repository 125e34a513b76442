/**
 * Apache Commons Net through CommonsNetClient.java: compiled once per version
 * of its source, then run as a line client (line-client.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool, runTool } from './client-run.ts';
import { DEMO, type InteropServer } from './fixture.ts';
import { operationLines, operationResults, type Operation, type OperationResult } from './line-client.ts';

const SOURCE = fileURLToPath(new URL('CommonsNetClient.java', import.meta.url));
/** Where Debian's libcommons-net-java puts the library. */
const COMMONS_NET_JAR = '/usr/share/java/commons-net.jar';
// A JVM that starts fast matters more here than one that runs fast.
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

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

/**
 * Checks that javac and the library are installed, naming the Debian packages
 * when not, and compiles the client. Returns its classes folder; call it in a `before` hook.
 */
export async function prepareCommonsNet(): Promise<string> {
  await requireTool('javac', '-version', 'openjdk-17-jdk-headless');
  if (!existsSync(COMMONS_NET_JAR)) {
    throw new Error(`no ${COMMONS_NET_JAR}: install it with "apt-get install libcommons-net-java" ` +
      '(.ci/run does it in CI)');
  }
  return compiledClient();
}

/** Runs `operations` in one Commons Net session (TLS when `secure`) with the classes of prepareCommonsNet. */
export async function runCommonsNet(classes: string, ftp: InteropServer, secure: boolean,
  operations: readonly Operation[]): Promise<OperationResult[]> {
  const args = [...JVM_OPTIONS, '-cp', `${classes}:${COMMONS_NET_JAR}`, 'CommonsNetClient',
    '127.0.0.1', String(ftp.server.port), DEMO.login, DEMO.password, secure ? 'tls' : 'plain'];
  const { stdout } = await runTool('java', args, { input: operationLines(operations) });
  return operationResults(stdout, operations);
}

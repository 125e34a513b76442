import { fileURLToPath } from 'node:url';
import { before } from 'node:test';
import { requireTool, runTool } from './client-run.ts';
import { DEMO } from './fixture.ts';
import { operationLines, operationResults } from './line-client.ts';
import { describeLineClient } from './line-client-suite.ts';

// Python's ftplib: what many back-office scripts use. FTP_TLS unwraps the TLS of each data
// link at its end (a TLS close both ways), so a data link closed any other way fails here first.

const SCRIPT = fileURLToPath(new URL('ftplib_client.py', import.meta.url));

before(() => requireTool('python3', '--version', 'python3'));

describeLineClient('ftplib', async (ftp, secure, operations) => {
  const transport = secure ? 'tls' : 'plain';
  const args = [SCRIPT, '127.0.0.1', String(ftp.server.port), DEMO.login, DEMO.password, transport];
  const { stdout } = await runTool('python3', args, { input: operationLines(operations) });
  return operationResults(stdout, operations);
});

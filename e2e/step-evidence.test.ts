import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadScenario } from '../scenarios/runner/load.ts';
import { runScenario, type StepWrapper } from '../scenarios/runner/run-scenario.ts';
import { SCENARIOS_FOLDER } from '../scenarios/runner/run-suite.ts';
import { watchSessions } from './ftp-sessions.ts';
import { stepEvidence, type Evidence } from './step-evidence.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-evidence-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** The full cycle on the virtual device, with the evidence of each step by its number and action. */
async function fullCycleEvidence(): Promise<Map<string, Evidence[]>> {
  const byStep = new Map<string, Evidence[]>();
  const wrapStep: StepWrapper = async (step, run, { simulator }) => {
    const sessions = watchSessions(simulator.ftp);
    const result = await run();
    const records = await sessions.stop();
    const companyRoot = simulator.ftp.companyRoot(simulator.company.name);
    byStep.set(`${result.number} ${result.action}`, await stepEvidence({ result, records, companyRoot }));
    return result;
  };
  const scenario = loadScenario(join(SCENARIOS_FOLDER, 'full-cycle.yaml'));
  const result = await runScenario(scenario, { folder: join(folder, 'full-cycle'), wrapStep });
  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  return byStep;
}

function named(evidence: Evidence[] | undefined, name: string): string {
  const found = evidence?.find((item) => item.name === name);
  assert.ok(found, `no attachment "${name}" among ${evidence?.map((item) => item.name).join(', ')}`);
  return found.content.toString();
}

test('each step shows its own FTP sessions, the zips it moved with their files, and its report', async () => {
  const evidence = await fullCycleEvidence();
  const receive = [...evidence.entries()].find(([key]) => key.endsWith('device.receive'))?.[1];
  const send = [...evidence.entries()].find(([key]) => key.endsWith('device.send'))?.[1];
  const imported = [...evidence.entries()].find(([key]) => key.endsWith('bo.import'))?.[1];
  const configure = [...evidence.entries()].find(([key]) => key.endsWith('device.configure'))?.[1];

  const receiveTranscript = named(receive, 'FTP transcript (Tab001\'s sessions)');
  assert.match(receiveTranscript, /RETR \/Sortant\/eStock\/Tab001\/Tab001\.zip {2}226 {2}\d+ B/);
  assert.match(receiveTranscript, /PASS \*\*\*\*/);
  assert.doesNotMatch(receiveTranscript, /STOR \/Sortant/, 'the BO\'s export sessions are not the device\'s');
  const exportFiles = named(receive, 'Files in Tab001.zip (downloaded)');
  assert.match(exportFiles, /^\/Sortant\/eStock\/Tab001\/Tab001\.zip\n/);
  assert.match(exportFiles, /\d+ files, \d+ bytes$/);

  const upload = send?.find((item) => /^Files in LotStockExported_\d{8}_\d{6}\.zip \(uploaded\)$/.test(item.name));
  assert.ok(upload, `no upload listing among ${send?.map((item) => item.name).join(', ')}`);
  assert.match(upload.content.toString(), /\/Entrant\/eStock\/Tab001\/MvtStocks\/LotStockExported_/);

  const report = JSON.parse(named(imported, 'BO import report')) as { movementsImported: number };
  assert.equal(report.movementsImported, 4);
  assert.match(named(imported, 'FTP transcript (the BO\'s sessions)'), /RETR .*LotStockExported_/);
  assert.equal(configure?.length, 0, 'configuring the device moves nothing over FTP');
});

test('a zip that is no zip is said so, instead of failing the step\'s report', async () => {
  const root = join(folder, 'root');
  mkdirSync(join(root, 'Entrant'), { recursive: true });
  writeFileSync(join(root, 'Entrant', 'bad.zip'), 'not a zip');
  const result = { number: 1, action: 'device.send', device: 'Tab001', status: 'passed' as const, ms: 1, summary: '' };
  const records = [{ time: '2026-12-04T10:00:00.000Z', session: 's0001', command: 'STOR /Entrant/bad.zip',
    reply: 226, bytes: 9, ms: 1 }];

  const evidence = await stepEvidence({ result, records, companyRoot: root });

  assert.match(named(evidence, 'Files in bad.zip (uploaded)'), /^\/Entrant\/bad\.zip cannot be listed: /);
});

/**
 * The whole chain, for real: a small Appium run (a scenario that passes, one
 * that fails, one that does not load) through `npm run e2e`'s launcher into
 * Allure results, the single-file report built from them, and that report
 * opened in headless Chromium, where the scenarios and their steps must be.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { SCENARIOS_FOLDER } from '../scenarios/runner/run-suite.ts';
import { readTestResults, type AllureTestResult } from './allure-results.ts';
import { PROJECT_ROOT } from './e2e-run.ts';
import { ANALYTICS_PATTERN, generateReport } from './report.ts';

const CHROMIUM = '/usr/bin/chromium';
/** How long the report's pages may take to show what is looked for, in ms. */
const PAGE_TIMEOUT_MS = 10_000;
const run = promisify(execFile);
const skip = !existsSync(CHROMIUM) && process.env.CI === undefined
  ? `${CHROMIUM} is not installed (apt-get install chromium; CI installs it and runs this test)`
  : false;

const folder = mkdtempSync(join(tmpdir(), 'hil-report-'));
const scenarios = join(folder, 'scenarios');
const results = join(folder, 'allure-results');
const report = join(folder, 'allure-report');
let e2eOutput = '';
let e2eExit = 0;
let chromium: Browser | undefined;
/** Every URL the report's pages asked for that is not a file of the machine. */
const requestsBeyondFiles: string[] = [];

before(async () => {
  if (skip) return;
  mkdirSync(scenarios);
  copyFileSync(join(SCENARIOS_FOLDER, 'full-cycle.yaml'), join(scenarios, 'full-cycle.yaml'));
  writeFileSync(join(scenarios, 'one-table-short.yaml'), ['name: Receive expects one table too few',
    'setup: { devices: [Tab001] }', 'steps:', '  - bo.export: {}', '  - device.configure: {}',
    '  - device.receive: { expect: { tables: 51 } }', '  - device.send: {}'].join('\n'));
  writeFileSync(join(scenarios, 'does-not-load.yaml'), 'setup: { devices: [Tab001] }\nsteps:\n' +
    '  - device.move: { type: exit, lot: L1, depot: STOCK, location: A01, quantity: six, reason: VTE }\n');

  const e2e = await run(process.execPath, ['--import', 'tsx', 'bin/e2e.ts', '--scenarios', scenarios,
    '--results', results, '--reports', join(folder, 'reports')], { cwd: PROJECT_ROOT, maxBuffer: 1 << 24 })
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ ...error, exit: error.code }));
  e2eOutput = `${e2e.stdout}${e2e.stderr}`;
  e2eExit = 'exit' in e2e ? e2e.exit : 0;
  await generateReport(results, report);
  chromium = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

after(async () => {
  await chromium?.close();
  rmSync(folder, { recursive: true, force: true });
});

function resultNamed(name: string): AllureTestResult {
  const result = readTestResults(results).find((candidate) => candidate.name === name);
  assert.ok(result, `no Allure result "${name}"; the run printed:\n${e2eOutput}`);
  return result;
}

/** The report's Suites page with the suite of the virtual device unfolded. */
async function suitesPage(): Promise<Page> {
  const page = await chromium!.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('request', (request) => {
    if (!/^(file|data|blob|about):/.test(request.url())) requestsBeyondFiles.push(request.url());
  });
  await page.goto(`${pathToFileURL(join(report, 'index.html')).href}#suites`);
  await page.waitForSelector('.node__title');
  await page.click('.node__title');
  await page.waitForSelector('.node__leaf');
  return page;
}

test('the launcher runs the scenarios through Appium and counts them as Allure has them', { skip }, () => {
  assert.equal(e2eExit, 1, e2eOutput);
  assert.match(e2eOutput, /\n1 passed, 1 failed, 1 broken\n$/);
  assert.equal(resultNamed('Full cycle').status, 'passed');
  assert.equal(resultNamed('Receive expects one table too few').status, 'failed');
  assert.equal(resultNamed('does-not-load').status, 'broken');
  assert.match(resultNamed('does-not-load').statusDetails?.message ?? '', /quantity: e\u2060xpected a number/);
});

test('the run writes its logs into its own folder: WebdriverIO\'s per worker, Appium\'s whole and plain', { skip },
  () => {
    const runFolders = readdirSync(join(folder, 'reports')).filter((name) => name.endsWith('-e2e'));
    assert.equal(runFolders.length, 1, runFolders.join(', '));
    const logs = join(folder, 'reports', runFolders[0]!, 'logs');
    const files = readdirSync(logs);
    for (const file of ['wdio.log', 'scenarios.e2e-0-0.log', 'appium.log', 'wdio-appium.log']) {
      assert.ok(files.includes(file), `${file} not in ${logs}: ${files.join(', ')}`);
    }
    const appium = readFileSync(join(logs, 'appium.log'), 'utf8');
    assert.match(appium, /Welcome to Appium/);
    const escape = String.fromCharCode(0x1b);
    assert.ok(!(appium + readFileSync(join(logs, 'wdio-appium.log'), 'utf8')).includes(`${escape}[`),
      'a colour code in Appium\'s logs');
  });

test('a step that did not pass carries its status, what it exchanged and the device\'s screen', { skip }, () => {
  const steps = resultNamed('Receive expects one table too few').steps;
  const receive = steps.find((step) => step.name.startsWith('3. device.receive on Tab001'));
  assert.equal(receive?.status, 'failed');
  assert.match(receive?.statusDetails?.message ?? '', /expected tables 51, got 52/);
  const attached = receive?.steps.map((step) => step.name) ?? [];
  assert.ok(attached.includes('FTP transcript (Tab001\'s sessions)'), attached.join(', '));
  assert.ok(attached.includes('Files in Tab001.zip (downloaded)'), attached.join(', '));
  assert.ok(attached.includes('Screenshot of Tab001'), attached.join(', '));
  assert.ok(attached.includes('Page source of Tab001'), attached.join(', '));
  const screenshot = receive?.steps.find((step) => step.name === 'Screenshot of Tab001')?.attachments[0];
  assert.equal(screenshot?.type, 'image/png');
  const png = readFileSync(join(results, screenshot!.source));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(steps.find((step) => step.name.startsWith('4. device.send'))?.status, 'skipped');
});

test('the single-file report shows each scenario of the device, and a scenario\'s steps', { skip }, async () => {
  const page = await suitesPage();
  assert.equal(await page.$eval('.node__title .node__name', (node) => node.textContent), 'Scenarios on virtual #1');
  const scenarioNames = await page.$$eval('.node__leaf .node__name', (names) => names.map((name) => name.textContent));
  assert.deepEqual([...scenarioNames].sort(), ['Full cycle', 'Receive expects one table too few', 'does-not-load']);

  const leaves = await page.$$('.node__leaf');
  const fullCycle = leaves[scenarioNames.indexOf('Full cycle')]!;
  await fullCycle.click();
  await page.waitForSelector('.step__name');
  const steps = await page.$$eval('.step__name', (names) => names.map((name) => name.textContent?.trim() ?? ''));
  assert.equal(steps.length, 10, steps.join('\n'));
  assert.match(steps[0]!, /^1\. bo\.export on Tab001: exported 52 tables, \d+ rows, \d+ bytes$/);
  assert.match(steps[3]!, /^4\. device\.receive on Tab001: received 52 tables/);
  assert.match(steps[8]!, /^9\. device\.send on Tab001: sent LotStockExported_\d{8}_\d{6}\.zip: 4 movements/);
  assert.equal(steps[9], '10. bo.import on Tab001: imported 4 movements from 1 zip, 0 anomalies');
  await page.close();
});

test('the report refers to no analytics and asks for nothing beyond its own file', { skip }, async () => {
  const html = readFileSync(join(report, 'index.html'), 'utf8');
  assert.equal(ANALYTICS_PATTERN.exec(html)?.[0], undefined);
  const page = await suitesPage();
  await page.close();
  assert.deepEqual(requestsBeyondFiles, []);
});

/**
 * `npm run report`: the Allure results into one self-contained HTML file,
 * offline. allure-commandline 2.46 puts Google Analytics into index.html
 * (a gtag.js script from www.googletagmanager.com) and sends an event to
 * google-analytics.com while generating, unless ALLURE_NO_ANALYTICS is
 * `true`: the value is read with Boolean.parseBoolean, so `1` or `yes` do
 * not turn it off. The report is checked afterwards, in case a later version
 * reads the switch differently.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { HilError } from '../simulator/errors.ts';
import { PROJECT_ROOT } from './e2e-run.ts';

const run = promisify(execFile);

/** The references to Google Analytics that must not be in the report. */
export const ANALYTICS_PATTERN = /googletagmanager|google-analytics|gtag/i;

/**
 * Runs `allure generate --single-file <results> -o <report> --clean` with
 * analytics off, and returns the path of the report's index.html.
 * Throws a HilError (code `REPORT_ANALYTICS`) if the report still refers to Google Analytics.
 */
export async function generateReport(results: string, report: string): Promise<string> {
  const allure = join(PROJECT_ROOT, 'node_modules', '.bin', 'allure');
  await run(allure, ['generate', '--single-file', results, '-o', report, '--clean'],
    { env: { ...process.env, ALLURE_NO_ANALYTICS: 'true' }, maxBuffer: 1 << 24 });

  const index = join(report, 'index.html');
  const analytics = ANALYTICS_PATTERN.exec(readFileSync(index, 'utf8'));
  if (analytics !== null) {
    throw new HilError('REPORT_ANALYTICS', `${index} still refers to "${analytics[0]}" although ` +
      'ALLURE_NO_ANALYTICS=true: this allure-commandline turns analytics off some other way; ' +
      'do not open the report before that is found');
  }
  return index;
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  generateReport(join(PROJECT_ROOT, 'allure-results'), join(PROJECT_ROOT, 'allure-report')).then(
    (index) => console.log(`Report: ${index}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}

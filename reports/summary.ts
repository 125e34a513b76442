/**
 * The run summary: written as reports/<run>/summary.json for machines, and
 * printed as a table a person reads at a glance.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { ConfigError } from '../simulator/errors.ts';
import type { RunSummary } from '../scenarios/runner/result.ts';

/**
 * Writes `summary.json` into the run's folder, `summary.folder`, and returns
 * its path. Throws ConfigError when it cannot be written.
 */
export function writeSummary(summary: RunSummary): string {
  const file = join(summary.folder, 'summary.json');
  try {
    mkdirSync(summary.folder, { recursive: true });
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    throw new ConfigError(`cannot write ${file}: ${(error as Error).message}; ` +
      'choose a reports folder that can be created and written (estock-hil run --reports <folder>)',
    { cause: error });
  }
  return file;
}

/** The summary as text: one row per scenario, then the totals and what failed, with why. */
export function formatSummary(summary: RunSummary): string {
  const table = new Table({
    head: ['Scenario', 'Result', 'Movements imported', 'FTP bytes', 'Time'],
    colAligns: ['left', 'left', 'right', 'right', 'right'],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const scenario of summary.scenarios) {
    table.push([scenario.name, scenario.status.toUpperCase(), scenario.movementsImported,
      formatBytes(scenario.ftpBytes), formatMs(scenario.ms)]);
  }
  const lines = [table.toString()];
  const total = summary.scenarios.length;
  lines.push(`${summary.passed} of ${total} passed, ${summary.failed} failed, ${summary.broken} broken ` +
    `in ${formatMs(summary.ms)}`);
  for (const scenario of summary.scenarios.filter((s) => s.status !== 'passed')) {
    const step = scenario.steps.find((s) => s.status === scenario.status);
    const where = step ? ` step ${step.number} (${step.action}${step.line ? `, line ${step.line}` : ''})` : '';
    // A file that does not load may have several problems, one a line: keep them under the scenario's line.
    const reason = (scenario.error?.message ?? '').replace(/\n/g, '\n  ');
    lines.push(`${scenario.status.toUpperCase()} ${scenario.name}${where}: ${reason}`);
    lines.push(`  details: ${scenario.folder}`);
  }
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A duration as the summary shows it: `512 ms`, `4.46 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

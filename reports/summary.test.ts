import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunSummary, ScenarioResult } from '../scenarios/runner/result.ts';
import { formatSummary } from './summary.ts';

function scenario(name: string, status: ScenarioResult['status'], message?: string): ScenarioResult {
  return { name, file: `${name}.yaml`, status, steps: [], movementsImported: 1, ftpBytes: 2048, ms: 412,
    folder: `/reports/r/${name}`, error: message === undefined ? undefined : { message } };
}

function summary(...scenarios: ScenarioResult[]): RunSummary {
  return { run: 'r', folder: '/reports/r', startedAt: '', ms: 2100, scenarios,
    passed: scenarios.filter((s) => s.status === 'passed').length,
    failed: scenarios.filter((s) => s.status === 'failed').length,
    broken: scenarios.filter((s) => s.status === 'broken').length };
}

test('the table has its header, then one row per scenario, and the totals', () => {
  const lines = formatSummary(summary(scenario('Full cycle', 'passed'))).split('\n');
  assert.match(lines[1]!, /│ Scenario\s+│ Result │ Movements imported │ FTP bytes │\s+Time │/);
  assert.match(lines[2]!, /│ Full cycle\s+│ PASSED │\s+1 │\s+2\.0 KiB │\s+412 ms │/);
  assert.equal(lines[4], '1 of 1 passed, 0 failed, 0 broken in 2.10 s');
});

test('each problem of a file that did not load stays on its own line, under the scenario', () => {
  const text = formatSummary(summary(scenario('k3', 'broken', 'k3.yaml:3: first problem\nk3.yaml:5: second problem')));
  assert.match(text,
    /\nBROKEN k3: k3\.yaml:3: first problem\n {2}k3\.yaml:5: second problem\n {2}details: \/reports\/r\/k3$/);
});

/** The README's sample output of `npm start`: the lines before the table, and the table with its totals. */
function readmeSample(): { before: string[]; block: string } {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const sample = /```\n((?:[^┌`\n][^\n]*\n|\n)*)(┌[^`]*?)\nSummary: /.exec(readme);
  assert.ok(sample, 'the README shows a summary table followed by its Summary: line');
  return { before: sample[1]!.split('\n').filter(Boolean), block: sample[2]! };
}

test('the README\'s sample of npm start prints a line for each scenario of its table before the table', () => {
  const { before, block } = readmeSample();
  const rows = block.split('\n').filter((line) => /^│ .* │ PASSED │/.test(line))
    .map((row) => row.split('│').map((cell) => cell.trim()));
  assert.deepEqual(before.slice(0, 2), ['> estock-hil@0.1.0 start', '> node bin/estock-hil.js run']);
  assert.match(before[2]!, new RegExp(`^Running ${rows.length} scenarios into /…/reports/[^/]+$`));
  assert.equal(before.length, 3 + rows.length, before.join('\n'));
  rows.forEach(([, name, , , , time], index) => {
    assert.match(before[3 + index]!, new RegExp(`^ok {3}${name} \\((\\d+) of \\1 steps run, ${time}\\)$`));
  });
});

test('the summary shown in the README is what formatSummary prints for its rows', () => {
  const { block } = readmeSample();
  const rows = block.split('\n').filter((line) => /^│ .* │ (PASSED|FAILED|BROKEN) │/.test(line));
  const scenarios = rows.map((row) => {
    const [name, status, movements, bytes, time] = row.split('│').slice(1, -1).map((cell) => cell.trim());
    const result = scenario(name!, status!.toLowerCase() as ScenarioResult['status']);
    return { ...result, movementsImported: Number(movements), ftpBytes: Math.round(parseFloat(bytes!) * 1024),
      ms: parseMs(time!) };
  });
  const totalMs = parseMs(/ broken in (.*)$/m.exec(block)![1]!);
  assert.equal(formatSummary({ ...summary(...scenarios), ms: totalMs }), block);
});

function parseMs(text: string): number {
  return text.endsWith(' ms') ? parseInt(text, 10) : Math.round(parseFloat(text) * 1000);
}

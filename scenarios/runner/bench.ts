/**
 * Measures how long scenarios take: each one run several times in a row on
 * fresh simulators, with the median, fastest and slowest run, and the median
 * of each step. Figures, not a test: see docs/performance.md.
 */
import { join } from 'node:path';
import { HilError } from '../../simulator/errors.ts';
import type { Scenario } from './schema.ts';
import { runScenario } from './run-scenario.ts';

export interface BenchFigures {
  scenario: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median time of each step, in file order. */
  steps: { number: number; action: string; medianMs: number }[];
}

/** Runs the scenario `runs` times (after one warm-up run) and returns the figures; throws if a run does not pass. */
export async function benchScenario(scenario: Scenario, runs: number, folder: string): Promise<BenchFigures> {
  const totals: number[] = [];
  const stepTimes: number[][] = scenario.steps.map(() => []);
  for (let run = 0; run <= runs; run += 1) {
    const result = await runScenario(scenario, { folder: join(folder, `run-${run}`) });
    if (result.status !== 'passed') {
      throw new HilError('BENCH', `${scenario.name}: run ${run} ${result.status}: ${result.error?.message ?? ''}`);
    }
    if (run === 0) continue;
    totals.push(result.ms);
    result.steps.forEach((step, index) => stepTimes[index]!.push(step.ms));
  }
  return {
    scenario: scenario.name,
    runs,
    medianMs: median(totals),
    minMs: Math.min(...totals),
    maxMs: Math.max(...totals),
    steps: scenario.steps.map((step, index) => ({
      number: index + 1,
      action: step.action,
      medianMs: median(stepTimes[index]!),
    })),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/**
 * The estock-hil command. `run` runs scenario files on the embedded simulator
 * with the virtual device; `validate` checks scenario files without running them;
 * `bench` times them; `serve` serves real tablets at a QA bench (serve.ts); `bo` acts as the
 * back office on serve's state folder (bo.ts); `calibrate` walks the app's screens through Appium (calibrate.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, type CommanderError } from 'commander';
import { ConfigError, HilError } from '../simulator/errors.ts';
import { YamlFileError } from '../simulator/yaml-file.ts';
import { loadScenario } from '../scenarios/runner/load.ts';
import { counted } from '../scenarios/runner/counts.ts';
import { benchScenario } from '../scenarios/runner/bench.ts';
import { runFtpExtrasText, runSuite, SCENARIOS_FOLDER, scenarioFiles } from '../scenarios/runner/run-suite.ts';
import { formatMs, formatSummary, writeSummary } from '../reports/summary.ts';
import type { ScenarioResult } from '../scenarios/runner/result.ts';
import { registerBo } from './bo.ts';
import { registerCalibrate } from './calibrate.ts';
import { addFaultOptions, readFaultOptions, type RawFaultOptions } from './fault-options.ts';
import { registerFaults } from './faults.ts';
import { registerServe } from './serve.ts';
import { throughAppium } from './run-appium.ts';

const program = new Command('estock-hil')
  .description('Hardware-in-the-loop harness and simulator for eStock and its FTP exchanges with the back office')
  .showHelpAfterError();

const run = program.command('run')
  .description('run scenarios (default: every scenario in scenarios/) and write reports/<run>/summary.json')
  .argument('[files...]', 'scenario files to run')
  .option('--reports <folder>', 'where run folders are written', 'reports')
  .option('--json', 'print the summary as JSON only')
  .option('--device <profile>', 'drive the devices through Appium with this device profile (devices/profiles), '
    + 'on an Appium server started for the run; default the virtual device driven directly')
  .option('--app <path>', 'with --device: the app file or APK instead of the profile\'s')
  .option('--udid <serial>', 'with --device: the device\'s serial instead of the profile\'s');
addFaultOptions(run)
  .action(async (files: string[], options: RunOptions) => {
    const ftpExtras = readFaultOptions(options);
    const chosen = files.length > 0 ? files.map((file) => resolve(file)) : scenarioFiles();
    const print = options.json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
    const appium = options.device === undefined
      ? undefined
      : await throughAppium(options.device, options.app, options.udid);
    let summary;
    try {
      summary = await runSuite({
        files: chosen,
        reports: options.reports,
        ftpExtras,
        ...appium?.suiteOptions,
        onRunStart: (folder) => {
          print(`Running ${counted(chosen.length, 'scenario')} into ${folder}` +
            (appium === undefined ? '' : ` through Appium (${options.device})`));
          const extras = runFtpExtrasText(ftpExtras);
          if (extras !== undefined) print(`Every scenario's FTP server under: ${extras}`);
        },
        onScenarioEnd: (result) => print(scenarioLine(result)),
      });
    } finally {
      await appium?.stop();
    }
    const file = writeSummary(summary);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      print(`\n${formatSummary(summary)}\nSummary: ${file}`);
    }
    process.exitCode = summary.failed + summary.broken > 0 ? 1 : 0;
  });

program.command('validate')
  .description('check scenario files against the scenario format without running them')
  .argument('[files...]', 'scenario files (default: every scenario in scenarios/)')
  .action((files: string[]) => {
    const chosen = files.length > 0 ? files : scenarioFiles();
    let wrong = 0;
    for (const file of chosen) {
      try {
        const scenario = loadScenario(file);
        process.stdout.write(`ok    ${file} (${counted(scenario.steps.length, 'step')})\n`);
      } catch (error) {
        wrong += 1;
        const problems = error instanceof YamlFileError ? error.problems : [(error as Error).message];
        for (const problem of problems) process.stdout.write(`WRONG ${problem}\n`);
      }
    }
    process.exitCode = wrong > 0 ? 1 : 0;
  });

program.command('bench')
  .description('time scenarios over several runs on fresh simulators (figures for docs/performance.md)')
  .argument('[files...]', 'scenario files (default: scenarios/full-cycle.yaml)')
  .option('--runs <n>', 'measured runs per scenario, after one warm-up run', '10')
  .action(async (files: string[], options: { runs: string }) => {
    const runs = Number(options.runs);
    if (!Number.isInteger(runs) || runs < 1) {
      throw new ConfigError(`--runs: ${options.runs} is not a whole number >= 1`);
    }
    const chosen = files.length > 0 ? files : [join(SCENARIOS_FOLDER, 'full-cycle.yaml')];
    const folder = mkdtempSync(join(tmpdir(), 'estock-hil-bench-'));
    try {
      for (const file of chosen) {
        const figures = await benchScenario(loadScenario(file), runs, folder);
        process.stdout.write(`${figures.scenario}: median ${figures.medianMs} ms, ` +
          `fastest ${figures.minMs} ms, slowest ${figures.maxMs} ms over ${counted(figures.runs, 'run')}\n`);
        for (const step of figures.steps) {
          const number = String(step.number).padStart(2);
          process.stdout.write(`  step ${number} ${step.action.padEnd(17)} ${step.medianMs} ms\n`);
        }
      }
      process.stdout.write(`(${process.version}, ${cpus().length} cores: ${cpus()[0]?.model ?? 'unknown CPU'})\n`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

registerServe(program);
registerBo(program);
registerCalibrate(program);
registerFaults(program);
exitTwoOnUsageErrors(program);

/**
 * A usage error of commander (an unknown flag or command, a missing argument or required option, a value not
 * among the choices) exits with 2, as a wrong value does; help and --version still exit 0. Set on `command`
 * and each of its subcommands but `bo`, which reports its own (with --json, as JSON).
 */
function exitTwoOnUsageErrors(command: Command): void {
  command.exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : 2));
  for (const sub of command.commands) {
    if (sub.name() !== 'bo') exitTwoOnUsageErrors(sub);
  }
}

interface RunOptions extends RawFaultOptions {
  reports: string;
  json?: boolean;
  device?: string;
  app?: string;
  udid?: string;
}

function scenarioLine(result: ScenarioResult): string {
  const mark = result.status === 'passed' ? 'ok  ' : result.status.toUpperCase();
  const steps = result.steps.filter((s) => s.status !== 'skipped').length;
  return `${mark} ${result.name} (${steps} of ${counted(result.steps.length, 'step')} run, ${formatMs(result.ms)})`;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof HilError ? error.message : (error as Error).stack ?? String(error);
  process.stderr.write(`estock-hil: ${message}\n`);
  process.exitCode = 2;
}

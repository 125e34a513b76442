/**
 * What a scenario run produces: a result per step and per scenario, and the
 * statuses they share with test reports. `failed` means the system under test
 * did not do what the scenario expects; `broken` means the harness itself
 * could not run the step (a bug, a server that would not start).
 */

export type Status = 'passed' | 'failed' | 'broken' | 'skipped';

/** Why a step or a scenario did not pass. */
export interface ErrorReport {
  /** The HilError code, e.g. `EXPECTATION`, `FTP`; absent for a fault of the harness. */
  code?: string;
  message: string;
  /** Each expectation of the step that was not met (code EXPECTATION). */
  unmet?: string[];
}

export interface StepResult {
  /** 1-based, as people count steps in a file. */
  number: number;
  action: string;
  device?: string;
  line?: number;
  status: Status;
  ms: number;
  /** A one-line account of what the step did, e.g. "imported 3 movements from 1 zip". */
  summary: string;
  /** Movements the BO imported in this step (bo.import only). */
  movementsImported?: number;
  /** What the step returned (reports of the BO and the device), for the run's JSON. */
  detail?: unknown;
  error?: ErrorReport;
}

export interface ScenarioResult {
  name: string;
  file: string;
  status: Exclude<Status, 'skipped'>;
  steps: StepResult[];
  /** Movements the BO imported over every bo.import step. */
  movementsImported: number;
  /** Data bytes over FTP (uploads and downloads) during the scenario. */
  ftpBytes: number;
  ms: number;
  /** The scenario's folder: FTP tree and transcripts, BO and device stores. */
  folder: string;
  error?: ErrorReport;
}

/** The result of a whole run, as written to reports/<run>/summary.json. */
export interface RunSummary {
  /** The name of the run's folder, e.g. 2026-12-03T19-41-31.042 (with `-02`... if the name was taken). */
  run: string;
  /** The run's folder, where summary.json goes. */
  folder: string;
  startedAt: string;
  ms: number;
  passed: number;
  failed: number;
  broken: number;
  /**
   * What the run put every scenario's FTP server under, on top of each
   * scenario's own `setup.ftp` (`estock-hil run --fault`, `--seed`,
   * `--ftp-profile`); left out when nothing.
   */
  ftp?: RunFtpExtras;
  scenarios: ScenarioResult[];
}

/** The run's faults (as fault texts), seed and server profile name. */
export interface RunFtpExtras {
  faults: string[];
  seed?: number;
  profile?: string;
}

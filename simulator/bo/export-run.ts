/**
 * « Exporter la sélection » (guide 3a): one export run to the chosen devices,
 * one after the other, then Images.zip for the articles they got, with the
 * progress of the whole run in percent (the bar of the export window) and one
 * report per device.
 */
import { BackOfficeError } from '../errors.ts';
import { logger } from '../log.ts';
import { deviceStanding } from './devices.ts';
import { checkExportOptions } from './export-device.ts';
import { exportForDevice } from './export.ts';
import { exportImages, noteExportedArticles, startImageRun } from './images.ts';
import type { BoContext, ExportOptions, ExportProgress, ExportReport } from './types.ts';

/** The share of the bar of one device's export, against IMAGES_UNITS for Images.zip. */
const DEVICE_UNITS = 10;
const IMAGES_UNITS = 1;

/**
 * The percent bar of a run: `units` of work in all; each report says how many
 * are done. Percents are whole, never go back, and end at 100.
 */
class ProgressBar {
  private last = -1;

  constructor(private readonly units: number, private readonly onProgress?: (progress: ExportProgress) => void) {}

  /** Reports `done` units of work (fractions allowed) done, while `stage` goes on for `device`. */
  at(done: number, device: string, stage: string): void {
    const percent = Math.max(this.last, Math.min(100, Math.floor((100 * done) / this.units)));
    this.last = percent;
    this.onProgress?.({ device, percent, stage });
  }
}

function checkRegistered(context: BoContext, deviceIds: readonly string[]): void {
  for (const deviceId of deviceIds) {
    if (!deviceStanding(context.db, deviceId).registered) {
      throw new BackOfficeError(`cannot export to device ${deviceId}: it is not in the device registry of ` +
        `${context.company.name}; nothing exported to any device; register it (with its authentication key) ` +
        'and add it to the eStock device list, or leave it out');
    }
  }
}

/**
 * Exports to each device of `deviceIds` in turn (exportForDevice), then
 * Images.zip (images.ts) when the settings export images and the devices got
 * articles with pictures. Images.zip, shared by the devices, is in the report
 * of each device that got an export, with the anomalies of its pictures.
 *
 * `onProgress` hears the whole run: percents from 0 to 100, never going back,
 * the last one 100 with the stage `done`. Each device's export takes an equal
 * share; Images.zip a tenth of a device's. Run-level events name every device
 * of the run, separated by commas.
 *
 * Throws BackOfficeError, before anything is exported, for a wrong selection
 * or a device not in the registry; FtpError when the server fails.
 */
export async function runExport(contextOf: () => BoContext, deviceIds: readonly string[],
  options: ExportOptions = {}): Promise<ExportReport[]> {
  const first = contextOf();
  checkExportOptions(options);
  checkRegistered(first, deviceIds);
  const log = logger('hil:bo', first.company.name);
  const withImages = first.settings.imageExport !== 'none';
  const bar = new ProgressBar(deviceIds.length * DEVICE_UNITS + (withImages ? IMAGES_UNITS : 0) || 1,
    options.onProgress);
  const everyDevice = deviceIds.join(', ');
  startImageRun(first.db);

  const reports: ExportReport[] = [];
  for (const [index, deviceId] of deviceIds.entries()) {
    const onProgress = (progress: ExportProgress): void =>
      bar.at(DEVICE_UNITS * (index + progress.percent / 100), deviceId, progress.stage);
    const report = await exportForDevice(contextOf(), deviceId, { ...options, onProgress });
    if (report.files.length > 0) noteExportedArticles(first.db, deviceId);
    reports.push(report);
  }

  if (withImages) {
    bar.at(DEVICE_UNITS * deviceIds.length, everyDevice, 'Images.zip');
    const images = await exportImages(contextOf(), first.mapping);
    for (const report of reports) {
      if (report.files.length === 0) continue;
      if (images.file !== undefined) report.files.push(images.file);
      report.anomalies.push(...images.anomalies.get(report.device) ?? []);
    }
    log('images: %d pictures in %s (%s)', images.imageIds.length, images.file?.path ?? 'no Images.zip',
      first.settings.imageExport);
  }
  bar.at(Number.POSITIVE_INFINITY, everyDevice, 'done');
  return reports;
}

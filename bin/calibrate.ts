/**
 * `estock-hil calibrate`: walks every screen of the app on a device of a
 * profile and saves each screen's hierarchy and picture with an index of the
 * locator map's names found on it, to write a locator map for a new app
 * version from (docs/devices.md). It starts its own Appium server on
 * 127.0.0.1 unless given the URL of a running one.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CalibratedScreen } from '../devices/appium/calibrate.ts';
import type { AppiumServerAddress } from '../devices/appium/session.ts';
import { checkAppFile, loadDeviceProfile } from '../devices/profile.ts';

interface CalibrateFlags {
  device: string;
  out?: string;
  app?: string;
  udid?: string;
  appiumUrl?: string;
  locators?: string;
  testFtp?: boolean;
  json?: boolean;
}

/** Adds the calibrate command to the estock-hil program. */
export function registerCalibrate(program: Command): void {
  program.command('calibrate')
    .description('walk every screen of the app and save its hierarchy, picture and the locator names found')
    .requiredOption('--device <profile>', 'device profile name (devices/profiles) or file')
    .option('--out <folder>', 'where the files go (default calibration/<profile>-<time>)')
    .option('--app <path>', 'the app file or APK instead of the profile\'s')
    .option('--udid <serial>', 'the device\'s serial instead of the profile\'s')
    .option('--appium-url <url>', 'a running Appium server (default: start one on 127.0.0.1)')
    .option('--locators <file>', 'a locator map file (default the one serving the installed version, or the newest)')
    .option('--test-ftp', 'also run « Test FTP » with the app\'s current settings')
    .option('--json', 'print only the index as JSON')
    .action(runCalibrate);
}

async function runCalibrate(flags: CalibrateFlags): Promise<void> {
  // Loaded here: WebdriverIO and Appium's launcher are heavy for the other commands.
  const { calibrate } = await import('../devices/appium/calibrate.ts');
  const { loadLocatorMap } = await import('../devices/appium/locator-map.ts');
  const { serverAddressOf } = await import('../devices/appium/session.ts');
  const { startAppiumServer } = await import('../simulator/appium-driver/appium-server.ts');
  const profile = loadDeviceProfile(flags.device, { app: flags.app, udid: flags.udid });
  checkAppFile(profile);
  // A wrong map (--locators, else the profile's) is said before Appium starts, with its lines.
  const mapFile = flags.locators ?? profile.locators;
  if (mapFile !== undefined) loadLocatorMap(mapFile);
  const out = resolve(flags.out ?? `calibration/${profile.name}-${new Date().toISOString().replace(/:/g, '-')}`);
  const print = flags.json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
  const started = flags.appiumUrl === undefined ? await startAppiumServer() : undefined;
  const server: AppiumServerAddress = started ?? serverAddressOf(flags.appiumUrl!);
  try {
    print(`Calibrating ${profile.name} (${profile.udid ?? 'no udid'}) through Appium at ` +
      `${server.hostname}:${server.port}${server.path} into ${out}`);
    const index = await calibrate({
      profile, out, server, locators: flags.locators, testFtp: flags.testFtp,
      // The virtual app keeps its data beside the files rather than in the OS's temp folder.
      capabilities: profile.kind === 'appium:virtual' ? { 'appium:estockDataDir': resolve(out, 'app-data') } : {},
      onScreen: (screen) => print(screenLine(screen)),
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(index, null, 2)}\n`);
    } else {
      print(`${index.appPackage} ${index.appVersion}${index.appVersionIsExpected ? '' : ` (the profile expects ` +
        `${profile.appVersion})`}, locator map ${index.locatorMap}`);
      for (const error of index.errors) print(`  not walked: ${error}`);
      print(`Index: ${resolve(out, 'index.json')}`);
    }
    process.exitCode = index.errors.length > 0 ? 1 : 0;
  } finally {
    await started?.stop();
  }
}

function screenLine(screen: CalibratedScreen): string {
  const found = Object.keys(screen.found).length;
  return `  ${screen.file.padEnd(22)} ${String(found).padStart(2)} names found` +
    `${screen.activity ? `, activity ${screen.activity}` : ''}`;
}

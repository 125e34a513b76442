/**
 * « Test FTP : effectuer un test de transfert FTP »: the settings screen's
 * check that the device can log in, write into its folder under Entrant and
 * clean up after itself.
 */
import { posix } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FtpError } from '../errors.ts';
import { devicePaths, localDateTime } from '../exchange/index.ts';
import type { Mapping } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { companyRoot, ensureFolder, remotePath, uploadBuffer } from './ftp-transfers.ts';
import type { DeviceSettingsInForce, FtpTestResult } from './types.ts';

/** The test file's name, in Entrant/eStock/<device>/; removed at the end of the test. */
export const FTP_TEST_FILE = 'TestFTP.txt';

/**
 * Logs in, uploads a small file into the device's folder under Entrant, reads
 * its size back and deletes it, waiting for each reply as long as the sync
 * settings' timeout; one attempt only. Never throws for an FTP failure: ok=false and
 * a message with the server's reply code (e.g. 530 for a wrong password).
 */
export async function testFtp(mapping: Mapping, settings: DeviceSettingsInForce,
  now: Date): Promise<FtpTestResult> {
  const log = logger('hil:device', settings.deviceId);
  const folder = posix.dirname(devicePaths(mapping, settings.deviceId).deviceVersion);
  const content = Buffer.from(`eStock FTP test from ${settings.deviceId} at ${localDateTime(now)}\r\n`, 'latin1');
  const started = performance.now();
  log('FTP test: %s@%s:%d, %s/%s', settings.ftp.user, settings.ftp.host, settings.ftp.port, folder, FTP_TEST_FILE);

  try {
    await withFtpSession(settings.ftp, `device ${settings.deviceId} FTP test`, async (client) => {
      const root = await companyRoot(client);
      const file = remotePath(root, `${folder}/${FTP_TEST_FILE}`);
      await ensureFolder(client, root, folder);
      await uploadBuffer(client, content, file);
      const size = await client.size(file);
      if (size !== content.length) {
        throw new FtpError(`the test file ${file} has ${size} bytes on the server, ${content.length} were sent`);
      }
      await client.remove(file);
    }, settings.sync.timeoutMs);
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const message = `FTP test failed: ${(error as Error).message}`;
    log('%s (%d ms)', message, ms);
    return { ok: false, message, ms };
  }

  const ms = Math.round(performance.now() - started);
  log('FTP test passed in %d ms', ms);
  return { ok: true, message: `FTP test passed: login, upload and delete in ${ms} ms`, ms };
}

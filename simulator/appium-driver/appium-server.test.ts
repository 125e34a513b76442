import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AppiumStartError, createAppiumHome, startAppiumServer } from './appium-server.ts';

async function statusIsOk(url: string): Promise<boolean> {
  return fetch(`${url}status`).then((response) => response.ok, () => false);
}

describe('startAppiumServer', () => {
  it('starts Appium on 127.0.0.1, says why a second one on its port fails, and stops it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'estock-appium-server-'));
    const logFile = join(folder, 'appium.log');
    const appium = await startAppiumServer({ logFile });
    try {
      assert.equal(appium.url, `http://127.0.0.1:${appium.port}/`);
      assert.equal(await statusIsOk(appium.url), true);
      await assert.rejects(startAppiumServer({ port: appium.port }), (error: Error) => {
        assert.ok(error instanceof AppiumStartError);
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${appium.port}: the port is in use`));
        return true;
      });
    } finally {
      await appium.stop();
    }
    assert.equal(await statusIsOk(appium.url), false, 'Appium still answers after stop()');
    assert.match(readFileSync(logFile, 'utf8'), /estock-virtual/);
    rmSync(folder, { recursive: true, force: true });
  });

  it('makes an APPIUM_HOME linking the drivers, and removes it', () => {
    const home = createAppiumHome();
    assert.equal(existsSync(join(home.folder, 'node_modules', 'appium-estock-virtual-driver', 'index.js')), true);
    assert.equal(existsSync(join(home.folder, 'node_modules', 'appium-uiautomator2-driver', 'package.json')), true);
    home.remove();
    assert.equal(existsSync(home.folder), false);
  });
});

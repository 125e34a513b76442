import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeMapCopy, writeProfileWithMap } from '../devices/appium/test-fixture.ts';
import { YamlFileError } from '../simulator/yaml-file.ts';
import { throughAppium } from './run-appium.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-run-appium-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('run --device refuses a profile\'s wrong locator map once, before Appium starts', async () => {
  const map = writeMapCopy(folder, 'wrong-map.yaml', true);
  const profile = writeProfileWithMap(folder, 'wrong.yaml', 'wrong-map.yaml');
  await assert.rejects(throughAppium(profile), (error: Error) => error instanceof YamlFileError &&
    error.message.includes(`${map}:`) && error.message.includes('unknown element "sync.sendd"'));
});

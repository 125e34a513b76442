import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCompany } from '../company.ts';
import { loadMapping } from '../exchange/index.ts';
import { startSimulator, type RunningSimulator } from '../simulator.ts';
import { setPreference, startDriverBed, type DriverBed, type Session } from './test-fixture.ts';

const DEVICE_ID = 'Tab001';

function stockAt(simulator: RunningSimulator, lot: string, depot: string, location: string): number | undefined {
  return simulator.backOffice.stock()
    .find((line) => line.lot === lot && line.depot === depot && line.location === location)?.quantity;
}

async function fillMovement(driver: Session, type: string, fields: Record<string, string>): Promise<string> {
  await driver.$('id=mvt_type').click();
  await driver.$(`android=new UiSelector().resourceId("android:id/text1").text("${type}")`).click();
  for (const [id, value] of Object.entries(fields)) await driver.$(`id=${id}`).setValue(value);
  await driver.$('id=mvt_save').click();
  return driver.$('id=mvt_status').getText();
}

describe('the virtual app through Appium against the real simulator', () => {
  let folder: string;
  let simulator: RunningSimulator;
  let bed: DriverBed;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'estock-driver-e2e-'));
    simulator = await startSimulator({ folder: join(folder, 'state'), company: loadCompany('demo'),
      mapping: loadMapping('eStock', '1.00'), ftp: { port: 0 } });
    simulator.backOffice.seedCatalog({ size: 'small', seed: 1 });
    await simulator.backOffice.exportForDevices([DEVICE_ID]);
    bed = await startDriverBed();
  });
  after(async () => {
    await bed?.stop();
    await simulator?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('configures, tests FTP, receives, records a movement, sends, and the BO imports it', async () => {
    const driver = await bed.session({ 'appium:udid': 'e2e' });
    const before = stockAt(simulator, 'LOT0001-1', 'STOCK', 'A04');
    assert.ok(before !== undefined && before >= 6, `LOT0001-1 at STOCK/A04 holds ${before}`);

    await driver.$('~Paramètres').click();
    const { ftp } = simulator;
    for (const [title, value] of [['Identifiant de la tablette', DEVICE_ID], ["Nom d'utilisateur", 'Demo'],
      ['Mot de passe', 'demo-estock'], ['Serveur FTP', ftp.host], ['Port FTP', String(ftp.port)],
      ['Login eStock', 'Admin']]) {
      assert.equal(await setPreference(driver, title as string, value as string), undefined, `${title} refused`);
    }
    await driver.$('android=new UiScrollable(new UiSelector().scrollable(true))' +
      '.scrollIntoView(new UiSelector().text("Test FTP"))').click();
    await driver.setTimeout({ implicit: 15_000 });
    assert.equal(await driver.$('id=android:id/alertTitle').getText(), 'Test FTP réussi');
    await driver.$('id=android:id/button1').click();
    await driver.$('~Revenir en arrière').click();

    await driver.$('id=sync_receive').click();
    // The receive runs on after the click: the buttons wait for it and the progress shows.
    assert.equal(await driver.$('id=sync_send').getAttribute('enabled'), 'false');
    assert.equal(await driver.$('id=sync_progress').isExisting(), true);
    const received = await driver.$('android=new UiSelector().textStartsWith("Réception terminée")').getText();
    assert.match(received, new RegExp('^Réception terminée : 52 tables, \\d+ lignes, \\d+ octets, ' +
      'données 1\\.00 du \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(\\d+ ms\\)$'));

    await driver.$('id=open_stock').click();
    await driver.$('id=stock_search').setValue('LOT0001-1');
    const rows = await driver.$$('id=stock_place').map((place) => place.getText());
    assert.ok(rows.includes('STOCK / A04'), `stock rows of LOT0001-1: ${rows.join(', ')}`);
    await driver.back();

    await driver.$('id=open_movement').click();
    const refused = await fillMovement(driver, 'Sortie', { mvt_lot: 'LOT0001-1', mvt_depot: 'STOCK',
      mvt_location: 'A04', mvt_quantity: '6', mvt_reason: 'NOPE' });
    assert.match(refused, /^Mouvement refusé : Tab001: reason NOPE is not in the reasons received/);
    assert.equal(await driver.$('id=mvt_lot').getText(), 'LOT0001-1');
    await driver.$('id=mvt_reason').setValue('VTE');
    await driver.$('id=mvt_save').click();
    assert.match(await driver.$('id=mvt_status').getText(),
      /^Mouvement Tab001-\d{6} enregistré : lot LOT0001-1, article \S+, lot existant, \d{4}-\d\d-\d\dT[\d:]{8}$/);
    assert.equal(await driver.$('id=mvt_lot').getText(), '');
    await driver.back();

    assert.equal(await driver.$('id=sync_pending').getText(), 'Mouvements à envoyer : 1');
    await driver.$('id=sync_send').click();
    const sent = await driver.$('android=new UiSelector().textStartsWith("Envoi terminé")').getText();
    assert.match(sent, /^Envoi terminé : LotStockExported_\d{8}_\d{6}\.zip, 1 mouvements, 0 lots, \d+ octets/);
    assert.equal(await driver.$('id=sync_pending').getText(), 'Mouvements à envoyer : 0');

    const report = await simulator.backOffice.importForDevice(DEVICE_ID);
    assert.equal(report.movementsImported, 1);
    assert.equal(report.appVersion, '2.1.0');
    assert.equal(stockAt(simulator, 'LOT0001-1', 'STOCK', 'A04'), before - 6);
    await driver.deleteSession();
  });
});

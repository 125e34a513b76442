import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { setPreference, startDriverBed, type DriverBed, type Session } from './test-fixture.ts';

const PERMISSION_ID = 'com.android.permissioncontroller:id/';
const SCROLL_TO = (text: string) =>
  `android=new UiScrollable(new UiSelector().scrollable(true)).scrollIntoView(new UiSelector().text("${text}"))`;

/** The W3C element id of a raw find, to use protocol commands that do not re-find stale elements. */
function elementId(found: unknown): string {
  return Object.values(found as Record<string, string>)[0] as string;
}

async function findError(driver: Session, using: string, value: string): Promise<string> {
  try {
    const found = await driver.findElement(using, value) as unknown as { message?: string };
    return found.message ?? 'found';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the virtual Appium driver through a real Appium server', () => {
  let bed: DriverBed;
  let driver: Session;

  before(async () => {
    bed = await startDriverBed();
    driver = await bed.session({ 'appium:udid': 'shared' });
  });
  after(async () => bed?.stop());

  it('shows the permission dialogs of a fresh install, none with autoGrantPermissions', async () => {
    const fresh = await bed.session({ 'appium:udid': 'permissions', 'appium:autoGrantPermissions': false });
    assert.match(await fresh.$(`id=${PERMISSION_ID}permission_message`).getText(), /photos et vidéos de cet/);
    await fresh.$(`id=${PERMISSION_ID}permission_allow_button`).click();
    assert.match(await fresh.$(`id=${PERMISSION_ID}permission_message`).getText(), /prendre des photos/);
    await fresh.$(`id=${PERMISSION_ID}permission_allow_foreground_only_button`).click();
    assert.equal(await fresh.$('id=sync_receive').getText(), 'Recevoir les données');
    await fresh.deleteSession();

    const granted = await bed.session({ 'appium:udid': 'permissions', 'appium:autoGrantPermissions': true });
    assert.equal((await granted.$$(`id=${PERMISSION_ID}permission_message`)).length, 0);
    assert.equal(await granted.$('id=sync_receive').isDisplayed(), true);
    await granted.deleteSession();
  });

  it('finds by id, accessibility id, class name, xpath and UiSelector, from the screen or an element', async () => {
    assert.equal(await driver.$('id=estock.virtual:id/sync_send').getText(), 'Envoyer les données');
    assert.equal(await driver.$('id=sync_send').getText(), 'Envoyer les données');
    assert.equal(await driver.$('~Paramètres').getAttribute('class'), 'android.widget.ImageButton');
    assert.equal((await driver.$$('android.widget.Button')).length, 4);
    assert.equal(await driver.$('//*[@resource-id="estock.virtual:id/sync_pending"]').getText(),
      'Mouvements à envoyer : 0');
    const ui = (selector: string) => driver.$(`android=${selector}`);
    assert.equal(await ui('new UiSelector().text("Stock")').getAttribute('resource-id'),
      'estock.virtual:id/open_stock');
    assert.equal(await ui('new UiSelector().textContains("mouvement")').getText(), 'Saisir un mouvement');
    assert.equal(await ui('new UiSelector().textStartsWith("Envoyer")').getText(), 'Envoyer les données');
    assert.equal(await ui('new UiSelector().textMatches("Rec.*es")').getText(), 'Recevoir les données');
    assert.equal(await ui('new UiSelector().resourceIdMatches(".*:id/sync_p.*")').getText(),
      'Mouvements à envoyer : 0');
    assert.equal(await ui('new UiSelector().className("android.widget.Button").instance(1)').getText(),
      'Envoyer les données');
    assert.equal(await ui('new UiSelector().description("Plus d\'options").clickable(true)').getAttribute('class'),
      'android.widget.ImageView');
    assert.equal(await ui('new UiSelector().descriptionContains("Param").enabled(true)').isEnabled(), true);
    const content = driver.$('id=content');
    assert.equal(await content.$('android=new UiSelector().className("android.widget.Button").index(1)').getText(),
      'Envoyer les données');
    assert.equal(await content.$('./android.widget.TextView[2]').getAttribute('resource-id'),
      'estock.virtual:id/sync_status');
    assert.deepEqual(await driver.getElementRect(elementId(await driver.findElement('id', 'sync_receive'))),
      { x: 100, y: 260, width: 1000, height: 120 });
    assert.equal(await driver.$('id=sync_receive').getAttribute('bounds'), '[100,260][1100,380]');
  });

  it('refuses unknown strategies and wrong selectors with InvalidSelectorError saying what and where', async () => {
    assert.match(await findError(driver, 'css selector', 'button'), /locator strategy "css selector" is not supp/);
    assert.match(await findError(driver, '-android uiautomator', 'new UiSelector().txt("x")'),
      /txt\(\) is not a method this simulation knows .* at character 18/);
    assert.match(await findError(driver, '-android uiautomator', 'new UiSelector().text("x'),
      /a string is not closed with " at character 23/);
    assert.match(await findError(driver, '-android uiautomator', 'new UiSelector().text(1)'),
      /text\(\) takes one string at character 18/);
    assert.match(await findError(driver, '-android uiautomator', 'new UiSelector().textMatches("(")'),
      /does not compile/);
    assert.match(await findError(driver, 'xpath', '//android.widget.Button['), /not a valid XPath 1.0 expression/);
    assert.match(await findError(driver, 'id', 'nothing'), /no element matches id "nothing" on the sync screen/);
  });

  it('makes an element stale once its window is gone, and back returns to the screen before', async () => {
    const receive = elementId(await driver.findElement('id', 'sync_receive'));
    assert.equal(await driver.getElementText(receive), 'Recevoir les données');
    await driver.$('~Paramètres').click();
    await assert.rejects(driver.getElementText(receive), /stale element reference.*no longer on screen/);
    await driver.back();
    assert.equal(await driver.$('id=sync_receive').isExisting(), true);
    await driver.back();
    assert.equal(await driver.queryAppState('estock.virtual'), 3);
    await driver.activateApp('estock.virtual');
    assert.equal(await driver.queryAppState('estock.virtual'), 4);
  });

  it('keeps a refused preference in its dialog and scrolls the list to « Test FTP »', async () => {
    await driver.$('~Paramètres').click();
    assert.equal((await driver.$$('android=new UiSelector().text("Test FTP")')).length, 0);
    assert.match(await setPreference(driver, 'Port FTP', 'vingt-et-un') ?? '', /n'est pas un numéro de port/);
    await driver.$('id=android:id/button2').click();
    assert.match(await setPreference(driver, 'Identifiant de la tablette', 'Tab 1') ?? '', /n'est pas valide/);
    await driver.$('id=android:id/edit').setValue('Tab001');
    await driver.$('id=android:id/button1').click();
    assert.equal(await driver.$('android=new UiSelector().text("Tab001")').isExisting(), true);

    await driver.action('pointer').move({ x: 600, y: 1600 }).down().move({ x: 600, y: 600, duration: 100 }).up()
      .perform();
    assert.equal(await driver.$('android=new UiSelector().text("Test FTP")').isExisting(), true);
    await driver.action('pointer').move({ x: 600, y: 600 }).down().move({ x: 600, y: 1600, duration: 100 }).up()
      .perform();
    assert.equal(await driver.$(SCROLL_TO('Test FTP')).getText(), 'Test FTP');
    await driver.back();
  });

  it('answers « Test FTP » on a fresh app with a failed test, the server still serving', async () => {
    const fresh = await bed.session({ 'appium:udid': 'unconfigured' });
    await fresh.$('~Paramètres').click();
    await fresh.$(SCROLL_TO('Test FTP')).click();
    await fresh.setTimeout({ implicit: 5_000 });
    assert.equal(await fresh.$('id=android:id/alertTitle').getText(), 'Test FTP échoué');
    assert.notEqual(await fresh.$('id=android:id/message').getText(), '');
    await fresh.deleteSession();
    assert.equal(await driver.$('~Paramètres').isExisting(), true);
  });

  it('waits implicitly for the Test FTP dialog that opens when the test is done', async () => {
    const slowServer: Server = createServer((socket) => setTimeout(() => socket.destroy(), 600));
    await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
    try {
      await driver.$('~Paramètres').click();
      for (const [title, value] of [['Nom d\'utilisateur', 'Demo'], ['Mot de passe', 'x'],
        ['Serveur FTP', '127.0.0.1'], ['Port FTP', String((slowServer.address() as { port: number }).port)]]) {
        assert.equal(await setPreference(driver, title as string, value as string), undefined);
      }
      await driver.$(SCROLL_TO('Test FTP')).click();
      assert.match(await findError(driver, 'id', 'android:id/alertTitle'), /no element matches/);
      await driver.setTimeout({ implicit: 10_000 });
      const started = Date.now();
      const title = await driver.findElement('id', 'android:id/alertTitle');
      assert.ok(Date.now() - started >= 300, 'the dialog came at once: nothing was waited for');
      assert.equal(await driver.getElementText(elementId(title)), 'Test FTP échoué');
      await driver.$('id=android:id/button1').click();
    } finally {
      await driver.setTimeout({ implicit: 0 });
      await driver.back();
      slowServer.close();
    }
  });

  it('writes a well-formed page source and a 1200 x 1920 PNG screenshot', async () => {
    const errors: string[] = [];
    const document = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) })
      .parseFromString(await driver.getPageSource(), 'text/xml');
    assert.deepEqual(errors, []);
    const hierarchy = document.documentElement;
    assert.equal(hierarchy?.tagName, 'hierarchy');
    assert.equal(hierarchy?.getAttribute('rotation'), '0');
    const first = hierarchy?.getElementsByTagName('android.widget.FrameLayout')[0];
    assert.equal(first?.getAttribute('bounds'), '[0,0][1200,1920]');

    const png = Buffer.from(await driver.takeScreenshot(), 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 1920]);
  });

  it('answers mobile: shell dumpsys package with the app file\'s version, and refuses other commands', async () => {
    const dump = await driver.execute('mobile: shell', { command: 'dumpsys', args: ['package', 'estock.virtual'] });
    assert.match(String(dump), /^ {4}versionName=2\.1\.0$/m);
    assert.match(String(dump), /^ {4}versionCode=210 minSdk=26 targetSdk=34$/m);
    await assert.rejects(driver.execute('mobile: shell', { command: 'ls' }), /"ls" is not simulated/);
  });

  it('keeps the settings with noReset, and a fresh session loses them', async () => {
    const first = await bed.session({ 'appium:udid': 'keep' });
    await first.$('~Paramètres').click();
    assert.equal(await setPreference(first, 'Identifiant de la tablette', 'Tab009'), undefined);
    await first.deleteSession();

    const kept = await bed.session({ 'appium:udid': 'keep', 'appium:noReset': true });
    await kept.$('~Paramètres').click();
    assert.equal(await kept.$('android=new UiSelector().text("Tab009")').isExisting(), true);
    await kept.deleteSession();

    const fresh = await bed.session({ 'appium:udid': 'keep' });
    await fresh.$('~Paramètres').click();
    assert.equal(await fresh.$('android=new UiSelector().text("Tab009")').isExisting(), false);
    await fresh.deleteSession();
  });

  it('opens the browser on the portal page from the overflow menu, and back returns to the app', async () => {
    assert.equal(await driver.getCurrentActivity(), '.SynchronisationActivity');
    assert.equal(await driver.getCurrentPackage(), 'estock.virtual');
    await driver.$('~Plus d\'options').click();
    await driver.$('android=new UiSelector().resourceId("android:id/title")').click();
    assert.equal(await driver.$('id=com.android.chrome:id/url_bar').getText(),
      'https://portail.estock.example/mise-a-jour');
    assert.equal(await driver.getCurrentPackage(), 'com.android.chrome');
    await driver.back();
    assert.equal(await driver.$('id=sync_receive').isExisting(), true);
  });

  it('picks the movement type in the spinner\'s popup and says why a form is refused', async () => {
    await driver.$('id=open_movement').click();
    await driver.$('id=mvt_type').click();
    assert.deepEqual(await driver.$$('id=android:id/text1').map((choice) => choice.getText()),
      ['Entrée', 'Sortie', 'Transfert', 'Inventaire']);
    await driver.$('android=new UiSelector().text("Inventaire")').click();
    assert.equal(await driver.$('id=mvt_type').$('id=android:id/text1').getText(), 'Inventaire');
    await driver.$('id=mvt_quantity').setValue('douze');
    await driver.$('id=mvt_save').click();
    assert.equal(await driver.$('id=mvt_status').getText(),
      'Mouvement refusé : Quantité « douze » n\'est pas un nombre');
    await driver.$('id=mvt_quantity').setValue('12,5');
    await driver.$('id=mvt_lot_information').setValue('FUT=Barrique 12; sans-egal');
    await driver.$('id=mvt_save').click();
    assert.equal(await driver.$('id=mvt_status').getText(),
      'Mouvement refusé : Informations du lot : « sans-egal » n\'a pas la forme CODE=valeur');
    await driver.$('id=mvt_lot_information').clearValue();
    await driver.$('id=mvt_save').click();
    assert.match(await driver.$('id=mvt_status').getText(), /^Mouvement refusé : .*nothing received yet/);
    await driver.back();
  });

  it('terminates, activates and clears the app, and knows only its own package', async () => {
    const session = await bed.session({ 'appium:udid': 'lifecycle', 'appium:autoGrantPermissions': false });
    await session.$(`id=${PERMISSION_ID}permission_deny_button`).click();
    await session.$(`id=${PERMISSION_ID}permission_deny_button`).click();
    assert.equal(await session.isAppInstalled('estock.virtual'), true);
    assert.equal(await session.isAppInstalled('com.example.other'), false);
    assert.equal(await session.execute('mobile: queryAppState', { appId: 'com.example.other' }), 0);
    assert.equal(await session.execute('mobile: terminateApp', { appId: 'estock.virtual' }), true);
    assert.equal(await session.queryAppState('estock.virtual'), 1);
    await session.execute('mobile: activateApp', { appId: 'estock.virtual' });
    assert.equal(await session.$('id=sync_receive').isExisting(), true, 'denied permissions are not asked again');

    await session.execute('mobile: clearApp', { appId: 'estock.virtual' });
    assert.equal(await session.queryAppState('estock.virtual'), 1);
    await session.activateApp('estock.virtual');
    assert.equal(await session.$(`id=${PERMISSION_ID}permission_message`).isExisting(), true,
      'clearApp revokes the permissions');
    await session.deleteSession();
  });

  it('refuses a session with a missing app file, a wrong mapping or a udid in use, saying why', async () => {
    await assert.rejects(bed.session({ 'appium:udid': 'no-app', 'appium:app': '/nowhere/estock.json' }),
      /app file \/nowhere\/estock\.json \(appium:app\) cannot be read: no such file/);
    await assert.rejects(bed.session({ 'appium:udid': 'mapping', 'appium:estockMapping': 'eStock' }),
      /appium:estockMapping "eStock" must read <format>@<version>/);
    await assert.rejects(bed.session({ 'appium:udid': 'shared' }), /virtual device shared .* is in use by another/);
  });
});

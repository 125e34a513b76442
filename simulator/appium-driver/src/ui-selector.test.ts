import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileUiAutomator, matchSelector } from './ui-selector.ts';
import { box, descendantsAndSelf, layOut, type UiNode } from './ui-node.ts';

function screen(): UiNode {
  return layOut({ className: 'android.widget.FrameLayout', bounds: box(0, 0, 1200, 1920), children: [
    { className: 'android.widget.TextView', id: 'app:id/title', text: 'Stock', bounds: box(0, 0, 100, 10) },
    { className: 'android.widget.LinearLayout', bounds: box(0, 10, 100, 10), children: [
      { className: 'android.widget.Button', id: 'app:id/ok', text: 'OK', bounds: box(0, 10, 50, 10),
        onClick: () => {} },
      { className: 'android.widget.Button', id: 'app:id/no', text: 'Non', desc: 'Refuser', enabled: false,
        bounds: box(50, 10, 50, 10), onClick: () => {} },
    ] },
  ] }, 'app');
}

function texts(selector: string): string[] {
  const locator = compileUiAutomator(selector);
  assert.equal(locator.kind, 'selector');
  return matchSelector(locator.selector, descendantsAndSelf(screen())).map((node) => node.text);
}

describe('UiSelector', () => {
  it('matches text, ids, classes, descriptions, states, index and instance', () => {
    assert.deepEqual(texts('new UiSelector().text("OK")'), ['OK']);
    assert.deepEqual(texts('new UiSelector().className("android.widget.Button")'), ['OK', 'Non']);
    assert.deepEqual(texts('new UiSelector().className("android.widget.Button").instance(1)'), ['Non']);
    assert.deepEqual(texts('new UiSelector().className("android.widget.Button").enabled(false)'), ['Non']);
    assert.deepEqual(texts('new UiSelector().resourceIdMatches("app:id/(ok|no)").index(0)'), ['OK']);
    assert.deepEqual(texts('new UiSelector().descriptionContains("fus")'), ['Non']);
    assert.deepEqual(texts('new UiSelector().textMatches("O")'), [], 'textMatches matches the whole text');
    assert.deepEqual(texts('UiSelector().textStartsWith("St");'), ['Stock']);
    assert.deepEqual(texts('new UiSelector().className("android.widget.LinearLayout")' +
      '.childSelector(new UiSelector().text("Non"))'), ['Non']);
    assert.deepEqual(texts('new UiSelector().text("a \\"quoted\\" text")'), []);
  });

  it('reads a UiScrollable with its list and target', () => {
    const locator = compileUiAutomator('new UiScrollable(new UiSelector().scrollable(true)).setAsVerticalList()' +
      '.setMaxSearchSwipes(5).scrollIntoView(new UiSelector().text("Test FTP"))');
    assert.equal(locator.kind, 'scroll');
    assert.equal(locator.kind === 'scroll' && locator.scroll.maxSwipes, 5);
  });

  it('says what is wrong and where', () => {
    const wrong: [string, RegExp][] = [
      ['', /the selector is empty/],
      ['new UiSelector().text("OK"', /"," or "\)" expected, found the end at character 27/],
      ['new UiSelector().text(OK)',
        /a string, number, true, false or new UiSelector\(\) expected, found "OK" at character 23/],
      ['new UiSelector().text(1)', /text\(\) takes one string at character 18/],
      ['new UiSelector().clickable("yes")', /clickable\(\) takes one boolean/],
      ['new UiSelector().text("OK") extra', /the end of the selector or "." expected, found "extra" at character 29/],
      ['new UiSelector().colour("red")', /colour\(\) is not a method this simulation knows \(known: resourceId/],
      ['new UiSelector(1)', /new UiSelector\(\) expected at character 5/],
      ['new UiScrollable(new UiSelector()).flingForward()', /flingForward\(\) is not a method/],
      ['new UiScrollable(new UiSelector())', /UiScrollable needs \.scrollIntoView/],
      ['new UiSelector().text("x") # y', /unexpected character "#" at character 28/],
    ];
    for (const [selector, problem] of wrong) {
      assert.throws(() => compileUiAutomator(selector), (error: Error) => {
        assert.equal(error.name, 'InvalidSelectorError', selector);
        assert.match(error.message, problem, selector);
        return true;
      });
    }
  });
});

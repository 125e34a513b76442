import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackOfficeError } from '../errors.ts';
import { checkSelection, formatCriteria, parseCriteria } from './export-criteria.ts';

test('criteria text reads into a lot selection, and writes back the same', () => {
  const text = 'family=ROUGE,BLANC depot=STOCK location=CAVE/A0*,A05 vintage=2018..2020 quantity=1.. article=ART00*';

  const selection = parseCriteria(text, 'Tab001');

  assert.deepEqual(selection, {
    families: ['ROUGE', 'BLANC'], depots: ['STOCK'], locations: ['CAVE/A0*', 'A05'],
    vintages: { from: 2018, to: 2020 }, quantity: { min: 1, max: undefined }, articles: ['ART00*'],
  });
  assert.equal(formatCriteria(selection),
    'article=ART00* family=ROUGE,BLANC depot=STOCK location=CAVE/A0*,A05 vintage=2018..2020 quantity=1..');
});

test('criteria: one year, open ranges, decimals, names in any case, spaces around', () => {
  assert.deepEqual(parseCriteria('  VINTAGE=2019   quantity=..0.5 ', 'Tab001'),
    { vintages: { from: 2019, to: 2019 }, quantity: { min: undefined, max: 0.5 } });
  assert.deepEqual(parseCriteria('vintage=..2015', 'Tab001'), { vintages: { from: undefined, to: 2015 } });
  assert.deepEqual(parseCriteria('', 'Tab001'), {});
});

test('criteria that cannot be read name the device, the text and the token at fault', () => {
  const cases: [string, RegExp][] = [
    ['famille=ROUGE', /famille=ROUGE: unknown criterion "famille"; write criteria as name=value/],
    ['FAM_CODE = ROUGE', /FAM_CODE: not name=value/],
    ['family=ROUGE family=BLANC', /family=BLANC: family is given twice/],
    ['depot=', /depot=: depot has no value/],
    ['vintage=20x8', /vintage=20x8: "20x8" is not a year of 4 digits; write vintage=2018/],
    ['vintage=2020..2018', /vintage=2020..2018: vintages: from 2020 is after to 2018/],
    ['vintage=2018..2019..2020', /has more than one "\.\."/],
    ['quantity=1,5', /quantity=1,5: "1,5" is not a quantity/],
    ['quantity=..', /quantity=\.\.: "\.\." has no bound/],
    ['article=ART%', /article=ART%: "ART%" is not a code/],
    ['location=A/B/C', /"A\/B\/C" is not a code/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(() => parseCriteria(text, 'Tab001'), (error) => {
      assert.ok(error instanceof BackOfficeError, text);
      assert.match(error.message, /^the « Critères Articles et Lots » of device Tab001 \(".*"\) cannot be read: /);
      assert.ok(error.message.includes(`("${text}")`), error.message);
      assert.match(error.message, expected);
      return true;
    }, text);
  }
});

test('a window selection with an empty list, a reversed range or a bad code has problems', () => {
  assert.deepEqual(checkSelection({ families: ['ROUGE'], vintages: { from: 2018 }, quantity: { min: 0, max: 0 } }),
    []);
  assert.deepEqual(checkSelection({
    articles: [], depots: ['ST OCK'], vintages: { from: 2020.5, to: 2018 }, quantity: { min: 5, max: 1 },
  }), [
    'articles: an empty list matches nothing; leave it out',
    'depots: "ST OCK" is not a code: use letters, digits, "-", "_", "." and "*"',
    'vintages: 2020.5 is not a whole year',
    'vintages: from 2020.5 is after to 2018',
    'quantity: min 5 is more than max 1',
  ]);
});

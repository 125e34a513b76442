import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { describeValue, issueText } from './schema-issue.ts';

function firstIssue(schema: z.ZodType, value: unknown): z.core.$ZodIssue {
  const issues = schema.safeParse(value).error?.issues;
  assert.ok(issues?.[0], `${JSON.stringify(value)} passed`);
  return issues[0];
}

test('kinds are named as in YAML, and a missing value is told as missing', () => {
  assert.equal(issueText(firstIssue(z.object({}), null), 'nothing'), 'expected a mapping (key: value), got nothing');
  assert.equal(issueText(firstIssue(z.array(z.string()), 'a'), 'text "a"'), 'expected a list, got text "a"');
  assert.equal(issueText(firstIssue(z.boolean(), undefined), undefined), 'missing; expected true or false');
});

test('bounds of numbers read as limits; others keep zod\'s words', () => {
  assert.equal(issueText(firstIssue(z.number().max(10), 11), 'the number 11'),
    'expected 10 or less, got the number 11');
  assert.equal(issueText(firstIssue(z.number().gt(0), 0), 'the number 0'), 'expected more than 0, got the number 0');
  assert.equal(issueText(firstIssue(z.array(z.string()).min(2), ['a']), 'a list'), 'expected at least 2 items');
  const long = firstIssue(z.string().max(2), 'abc');
  assert.equal(issueText(long, 'text "abc"'), long.message);
});

test('values are told in words, long text cut', () => {
  assert.equal(describeValue(null), 'nothing');
  assert.equal(describeValue(false), 'false');
  assert.equal(describeValue(1.5), 'the number 1.5');
  assert.equal(describeValue('x'.repeat(50)), `text "${'x'.repeat(40)}…"`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { describeValue, issueText, plainIssues } from './schema-issue.ts';

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

test('an address format and a discriminating key are told in words; a format of the schema\'s own keeps them', () => {
  assert.equal(issueText(firstIssue(z.ipv4(), '999.1.1.1'), 'text "999.1.1.1"'),
    'expected an IPv4 address such as 192.168.1.20, got text "999.1.1.1"');
  const request = z.discriminatedUnion('op', [z.object({ op: z.literal('set') }), z.object({ op: z.literal('show') })]);
  assert.equal(issueText(firstIssue(request, { op: 'explode' }), 'text "explode"'),
    'expected one of set, show, got text "explode"');
  assert.equal(issueText(firstIssue(z.string().regex(/^[A-Z]+$/, 'capitals only'), 'abc'), 'text "abc"'),
    'capitals only');
});

test('values are told in words, long text cut', () => {
  assert.equal(describeValue(null), 'nothing');
  assert.equal(describeValue(false), 'false');
  assert.equal(describeValue(1.5), 'the number 1.5');
  assert.equal(describeValue('x'.repeat(50)), `text "${'x'.repeat(40)}…"`);
});

test('a union names what its options expect, or the issue inside the one option the value fits', () => {
  const faultLike = z.union([
    z.strictObject({ bandwidth: z.union([z.enum(['edge', '3g']), z.strictObject({ upKbps: z.number() })]) }),
    z.strictObject({ cut: z.strictObject({ atBytes: z.number() }) }),
  ]);
  const inner = plainIssues(faultLike.safeParse({ cut: { atBytes: 'x' } }).error!.issues);
  assert.deepEqual(inner.map((issue) => [issue.path.join('.'), issue.code]), [['cut.atBytes', 'invalid_type']]);
  const [named] = plainIssues(faultLike.safeParse({ bandwidth: '5g' }).error!.issues);
  assert.equal(named?.path.join('.'), 'bandwidth');
  assert.equal(issueText(named!, 'text "5g"'), 'expected one of edge, 3g, or a mapping (key: value), got text "5g"');
  const [unknown] = plainIssues(faultLike.safeParse({ cutt: {} }).error!.issues);
  assert.equal(issueText(unknown!, 'a mapping'), 'unknown key "cutt"; expected one of bandwidth, cut');
  const [extra] = plainIssues(faultLike.safeParse({ bandwidth: { upKbps: 1, down: 2 } }).error!.issues);
  assert.deepEqual([extra?.path.join('.'), extra?.code], ['bandwidth', 'unrecognized_keys']);
});

/**
 * Schema issues in the words of the person who wrote the YAML file: lists,
 * mappings and text rather than zod's arrays, objects and strings.
 */
import type { z } from 'zod';

/**
 * What stands at an issue's place in the file, in words: `a list`,
 * `text "six"`, `nothing`; undefined when nothing is written there.
 */
export type FoundValue = string | undefined;

const KINDS: Record<string, string> = {
  object: 'a mapping (key: value)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

const FORMATS: Record<string, string> = {
  ipv4: 'an IPv4 address such as 192.168.1.20',
  ipv6: 'an IPv6 address such as ::1',
};

/** What an issue finds wrong, without its path: `expected a list, got text "Tab001"`. */
export function issueText(issue: z.core.$ZodIssue, found: FoundValue): string {
  const got = found === undefined ? '' : `, got ${found}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = KINDS[issue.expected] ?? issue.expected;
      return found === undefined ? `missing; expected ${expected}` : `expected ${expected}${got}`;
    }
    case 'unrecognized_keys':
      // A message of the schema's own (`error:`) says best what the mapping takes.
      if (!issue.message.startsWith('Unrecognized key')) return issue.message;
      return `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}${got}`;
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'array') {
        return minimum === 1 ? 'the list is empty; give at least one item' : `expected at least ${minimum} items`;
      }
      if (issue.origin === 'string' && minimum === 1) return 'empty; expected some text';
      if (issue.origin !== 'number') return issue.message;
      return `expected ${issue.inclusive ? `${minimum} or more` : `more than ${minimum}`}${got}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin !== 'number') return issue.message;
      return `expected ${issue.inclusive ? `${maximum} or less` : `less than ${maximum}`}${got}`;
    }
    case 'invalid_union': {
      // A discriminated union names the values its key takes (`op`: set, add...).
      const { options } = issue as { options?: unknown };
      if (issue.errors.length === 0 && Array.isArray(options)) {
        return `expected one of ${options.map(String).join(', ')}${got}`;
      }
      // A union given its own message (`error:` in the schema) says best what it takes.
      return issue.message !== 'Invalid input' ? issue.message : unionText(issue.errors, found);
    }
    case 'invalid_format': {
      // A format given its own message (`regex(..., 'a verb is 3 or 4 letters')`) keeps it.
      const expected = FORMATS[issue.format];
      if (expected === undefined || !issue.message.startsWith('Invalid')) return issue.message;
      return `expected ${expected}${got}`;
    }
    default:
      return issue.message;
  }
}

type Issue = z.core.$ZodIssue;

/** Whether a union's option refused the value itself (its kind, its value, its keys), not something inside it. */
function refusedAtRoot(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.path.length === 0 &&
    ['invalid_type', 'invalid_value', 'unrecognized_keys', 'invalid_union'].includes(issue.code));
}

/**
 * The issues as a person reads them: a union (`bandwidth: 3g` or a mapping;
 * one fault kind of seven) whose value fits one option but for something
 * inside it gives that option's issues, at their full path, rather than
 * zod's "Invalid input".
 */
export function plainIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const fitting = issue.errors.filter((option) => !refusedAtRoot(option));
    // Failing that, the one option that took the value but for keys it does not know.
    const unknownKeysOnly = issue.errors.filter((option) => option.every((inner) =>
      inner.path.length === 0 && inner.code === 'unrecognized_keys'));
    const chosen = fitting.length === 1 ? fitting[0] : fitting.length === 0 && unknownKeysOnly.length === 1
      ? unknownKeysOnly[0] : undefined;
    if (chosen === undefined) return [issue];
    return plainIssues(chosen).map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
  });
}

/** What a union expected when no option fits: `expected one of edge, 3g, 4g, wifi, or a mapping (key: value)`. */
function unionText(options: readonly (readonly Issue[])[], found: FoundValue): string {
  const values: string[] = [];
  const kinds = new Set<string>();
  const keys: string[] = [];
  const unknown = new Set<string>();
  for (const option of options) {
    for (const issue of option) {
      if (issue.path.length === 0 && issue.code === 'invalid_value') values.push(...issue.values.map(String));
      if (issue.path.length === 0 && issue.code === 'invalid_type') kinds.add(KINDS[issue.expected] ?? issue.expected);
      if (issue.path.length === 0 && issue.code === 'unrecognized_keys') issue.keys.forEach((key) => unknown.add(key));
      const missingKey = issue.path.length === 1 && ['invalid_type', 'invalid_union'].includes(issue.code);
      if (missingKey && refusedAtRoot(option)) keys.push(String(issue.path[0]));
    }
  }
  if (unknown.size > 0 && keys.length > 0) {
    const named = [...unknown].map((key) => `"${key}"`).join(', ');
    return `unknown key ${named}; expected one of ${keys.join(', ')}`;
  }
  const alternatives = [...(values.length > 0 ? [`one of ${values.join(', ')}`] : []), ...kinds];
  if (alternatives.length === 0) return 'Invalid input';
  const got = found === undefined ? '' : `, got ${found}`;
  return `expected ${alternatives.join(', or ')}${got}`;
}

/** A plain value in words: `nothing`, `true`, `the number 3`, `text "six"`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value !== 'string') return String(value);
  return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
}

/**
 * The value written at `path`. A short form (`bandwidth: 5g`) is checked as
 * its long one (`bandwidth.network`): a path that goes on past a plain value
 * finds that value.
 */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return value;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

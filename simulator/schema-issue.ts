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

/** What an issue finds wrong, without its path: `expected a list, got text "Tab001"`. */
export function issueText(issue: z.core.$ZodIssue, found: FoundValue): string {
  const got = found === undefined ? '' : `, got ${found}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = KINDS[issue.expected] ?? issue.expected;
      return found === undefined ? `missing; expected ${expected}` : `expected ${expected}${got}`;
    }
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
    default:
      return issue.message;
  }
}

/** A plain value in words: `nothing`, `true`, `the number 3`, `text "six"`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value !== 'string') return String(value);
  return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
}

/**
 * A fault as one line of text, as it would be written on a command line:
 * `cut: { direction: upload, atPercent: 40 }`, `bandwidth: 4g`. Used where
 * faults in force are listed for people: `estock-hil faults show`, serve's
 * console, scenario step summaries.
 */
import { stringify } from 'yaml';
import type { FaultSpec } from './fault-schema.ts';

/** The fault as one line of YAML, its kind first. */
export function faultSpecText(spec: FaultSpec): string {
  return stringify(spec, { collectionStyle: 'flow', lineWidth: 0 }).trim().replace(/^\{ ?(.*?) ?\}$/, '$1');
}

/** The faults of a set, numbered from 1: `1. cut: { ... }; 2. bandwidth: 4g`; `none` when empty. */
export function faultListText(faults: readonly { fault: number; spec: FaultSpec }[]): string {
  if (faults.length === 0) return 'none';
  return faults.map(({ fault, spec }) => `${fault}. ${faultSpecText(spec)}`).join('; ');
}

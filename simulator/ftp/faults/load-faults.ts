/**
 * Faults as people write them: a fault file (`seed:` and `faults:`), or one
 * fault as YAML text on a command line (`'cut: { direction: upload, atPercent: 40 }'`).
 */
import { parse } from 'yaml';
import { ConfigError } from '../../errors.ts';
import { describeValue, issueText, plainIssues, valueAt } from '../../schema-issue.ts';
import { withFirstProblemOnly, YamlFile } from '../../yaml-file.ts';
import { faultSetSchema, faultSpecSchema, type FaultSet, type FaultSpec } from './fault-schema.ts';

const FAULT_FILE_NEEDS = 'a fault file is a mapping with faults: (a list) and optionally seed:; see docs/faults.md';

/** Reads and checks a fault file. Throws ConfigError naming the file, the line and the key at fault. */
export function loadFaultFile(file: string): FaultSet {
  return withFirstProblemOnly(() => YamlFile.read(file, 'fault file').parseMapping(faultSetSchema, FAULT_FILE_NEEDS));
}

/**
 * One fault from YAML text, e.g. `bandwidth: 3g`; `source` names where it
 * came from in the error (`--fault "bandwidth: 5g"`). Throws ConfigError.
 */
export function parseFaultText(text: string, source: string): FaultSpec {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (Array.isArray(data)) {
    throw new ConfigError(`${source}: a list of ${data.length} faults, where one is taken; give each fault ` +
      'with an option of its own (repeat it), or write the list in a fault file');
  }
  const result = faultSpecSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = plainIssues(result.error.issues)[0]!;
  const key = issue.path.join('.') || '(fault)';
  throw new ConfigError(`${source}: ${key}: ${issueText(issue, describeValue(valueAt(data, issue.path)))}`);
}

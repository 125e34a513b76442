/**
 * What is wrong with an item of `steps:` that is not one action with its
 * arguments. Most such items are arguments that their indentation put beside
 * the action or in a list item of their own, so the message says where they go.
 */
import { ACTION_NAMES, stepBodies, type ActionName } from './schema.ts';

/** Every key some action takes as an argument: device, expect, expectError, type, lot... */
const ARGUMENT_KEYS = new Set<string>(
  Object.values(stepBodies).flatMap((body) => Object.keys('shape' in body ? body.shape : body.out.shape)));

const ACTIONS_ARE = `the actions are ${ACTION_NAMES.join(', ')}`;
const ONE_ACTION = 'a step is one action, e.g. "- device.send: {}"';

/** A problem of a step's shape, and the key of the step on whose line it shows, if any. */
export interface StepShapeProblem {
  problem: string;
  key?: string;
}

/**
 * The problem of item `index` of a scenario's steps when it is not a mapping
 * of one action, e.g. `step 2: expect is beside bo.export, not under it; ...`;
 * undefined when it is one action.
 */
export function stepShapeProblem(steps: readonly unknown[], index: number):
  StepShapeProblem | undefined {
  const step = `step ${index + 1}`;
  const raw = steps[index];
  if (!isRecord(raw)) return { problem: notAMapping(step, raw) };
  const keys = Object.keys(raw);
  const actions = keys.filter(isAction);
  const others = keys.filter((key) => !isAction(key));
  if (actions.length === 1 && others.length === 0) return undefined;

  if (actions.length > 1) {
    return { key: actions[1], problem: `${step} has ${actions.length} actions, ` +
      `${list(actions)}; a step is one action: start each with its own "- "` };
  }
  if (actions.length === 1) return { key: others[0], problem: `${step}: ${beside(actions[0]!, others)}` };
  if (others.every((key) => ARGUMENT_KEYS.has(key))) {
    const previous = previousAction(steps, index);
    return { key: others[0], problem: `${step}: ${ownItem(others, previous, index)}` };
  }
  if (keys.length === 1) return { problem: `${step}: unknown action "${keys[0]}"; ${ACTIONS_ARE}` };
  return { problem: `${step}: none of ${list(keys)} is an action; ${ONE_ACTION}; ${ACTIONS_ARE}` };
}

/** Arguments at the indentation of their action, in the step's mapping beside it. */
function beside(action: ActionName, keys: string[]): string {
  return `${list(keys)} ${are(keys)} beside ${action}, not under it; the arguments of a step ` +
    `go under its action: indent ${them(keys)} under ${action}, ` +
    `or write "- ${action}: { ${keys[0]}: … }"`;
}

/** Arguments written as a step of their own, most often meant for the step before. */
function ownItem(keys: string[], previous: ActionName | undefined, index: number): string {
  const what = keys.length === 1 ? 'an argument' : 'arguments';
  const fix = previous === undefined
    ? `a step starts with its action, e.g. "- bo.export: { ${keys[0]}: … }"`
    : `if ${them(keys) === 'it' ? 'it belongs' : 'they belong'} to step ${index} (${previous}), ` +
      `remove the "- " before ${keys[0]} and indent ${them(keys)} under ${previous}`;
  return `${list(keys)} ${are(keys)} ${what}, not an action; ${fix}`;
}

function notAMapping(step: string, raw: unknown): string {
  if (raw === null || raw === undefined) return `${step} is empty; ${ONE_ACTION}; ${ACTIONS_ARE}`;
  if (typeof raw === 'string' && isAction(raw)) {
    return `${step}: ${raw} has no colon after it; write "- ${raw}: {}", ` +
      `or "- ${raw}:" with its arguments under it`;
  }
  return `${step}: ${ONE_ACTION}; ${ACTIONS_ARE}`;
}

/** The action of the step before `index`, when that step is one action. */
function previousAction(steps: readonly unknown[], index: number): ActionName | undefined {
  const before = steps[index - 1];
  if (!isRecord(before)) return undefined;
  const keys = Object.keys(before);
  return keys.length === 1 && isAction(keys[0]!) ? keys[0] : undefined;
}

function isAction(key: string): key is ActionName {
  return (ACTION_NAMES as string[]).includes(key);
}

function are(keys: readonly string[]): string {
  return keys.length === 1 ? 'is' : 'are';
}

function them(keys: readonly string[]): string {
  return keys.length === 1 ? 'it' : 'them';
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

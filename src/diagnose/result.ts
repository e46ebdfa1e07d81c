// Small builders for check results, and the version comparison two checks need.

import type { CheckCode, CheckOutcome, CheckResult, FixAction } from './checkResult.js';

export function pass(code: CheckCode, title: string, message: string): CheckResult {
  return { code, title, outcome: 'pass', message };
}

export function skip(code: CheckCode, title: string, message: string): CheckResult {
  return { code, title, outcome: 'skip', message };
}

export function finding(
  outcome: Exclude<CheckOutcome, 'pass' | 'skip'>,
  code: CheckCode,
  title: string,
  message: string,
  fix: string,
  action?: FixAction,
): CheckResult {
  return action
    ? { code, title, outcome, message, fix, action }
    : { code, title, outcome, message, fix };
}

/** Compares dotted versions numerically ("1.50.2" > "1.9.0"); undefined when not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (text: string) =>
    /^\d+(\.\d+)*$/.test(text) ? text.split('.').map(Number) : undefined;
  const left = parse(a.replace(/^v/, ''));
  const right = parse(b.replace(/^v/, ''));
  if (!left || !right) return undefined;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function quotedList(names: string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

export function taskIdOf(taskArn: string | undefined): string {
  return (taskArn ?? '').split('/').pop() ?? '';
}

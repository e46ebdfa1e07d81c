// The report of a diagnosis: Markdown for the editor's preview, plain text for a terminal. Both
// list the problems first, each with its finding and its fix, then what passed.

import type { CheckOutcome, CheckResult } from './checkResult.js';

const ORDER: CheckOutcome[] = ['fail', 'warn', 'unknown', 'pass', 'skip'];
const MARK: Record<CheckOutcome, string> = {
  fail: '❌',
  warn: '⚠️',
  unknown: '❔',
  pass: '✅',
  skip: '➖',
};
const LABEL: Record<CheckOutcome, string> = {
  fail: 'FAIL',
  warn: 'WARN',
  unknown: '????',
  pass: 'ok',
  skip: 'skip',
};

/** One line that sums the results up: what blocks, what to watch. */
export function summarize(results: CheckResult[]): string {
  const count = (outcome: CheckOutcome) => results.filter((r) => r.outcome === outcome).length;
  const [fails, warns, unknowns] = [count('fail'), count('warn'), count('unknown')];
  const stopped = results.some((r) => r.code === 'CHECKS_STOPPED');
  const parts = [
    fails > 0
      ? `${plural(fails, 'problem')} ${fails === 1 ? 'blocks' : 'block'} the connection`
      : stopped
        ? 'The checks stopped before the end, so they cannot say the connection will work'
        : 'Nothing blocks the connection',
  ];
  if (warns > 0) parts.push(plural(warns, 'warning'));
  if (unknowns > 0) parts.push(`${plural(unknowns, 'check')} could not be run`);
  return `${parts.join('; ')}.`;
}

/** Markdown: a heading, the summary, one section per problem, then a list of what passed. */
export function renderReport(results: CheckResult[], subject?: string): string {
  const sorted = sortResults(results);
  const lines = [`# Why can't I connect${subject ? `: ${escapeMarkdown(subject)}` : ''}?`, ''];
  lines.push(`**${summarize(results)}**`, '');
  for (const result of sorted.filter((r) => isProblem(r.outcome))) {
    lines.push(
      `## ${MARK[result.outcome]} ${escapeMarkdown(result.title)} (\`${result.code}\`)`,
      '',
    );
    lines.push(escapeMarkdown(result.message), '');
    if (result.fix) lines.push(`**Fix:** ${escapeMarkdown(result.fix)}`, '');
  }
  const rest = sorted.filter((r) => !isProblem(r.outcome));
  if (rest.length > 0) {
    lines.push('## Checks that passed or do not apply', '');
    for (const r of rest)
      lines.push(
        `- ${MARK[r.outcome]} **${escapeMarkdown(r.title)}**: ${escapeMarkdown(r.message)}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}

/** Where a wrapped sentence continues: deeper than where it starts. */
const CONTINUED = ' '.repeat(8);

/** Plain text for a terminal, wrapped at `width` columns. */
export function renderText(results: CheckResult[], subject?: string, width = 100): string {
  const lines: string[] = [];
  if (subject) lines.push(`Checks for ${subject}`, '');
  for (const r of sortResults(results)) {
    const head = `${LABEL[r.outcome].padEnd(5)} ${r.title}`;
    if (!isProblem(r.outcome)) {
      lines.push(...wrap(`${head}: ${r.message}`, width, CONTINUED));
      continue;
    }
    lines.push(`${head} [${r.code}]`);
    lines.push(...wrap(r.message, width, CONTINUED, '      '));
    if (r.fix) lines.push(...wrap(`Fix: ${r.fix}`, width, CONTINUED, '      '));
  }
  lines.push('', summarize(results));
  return lines.join('\n');
}

/** One line for the proxy's stderr: the check's code, what was found, and the fix. */
export function renderLine(result: CheckResult): string {
  return `${result.code}: ${result.message}${result.fix ? ` Fix: ${result.fix}` : ''}`;
}

function sortResults(results: CheckResult[]): CheckResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort(
      (a, b) =>
        ORDER.indexOf(a.result.outcome) - ORDER.indexOf(b.result.outcome) || a.index - b.index,
    )
    .map(({ result }) => result);
}

function isProblem(outcome: CheckOutcome): boolean {
  return outcome === 'fail' || outcome === 'warn' || outcome === 'unknown';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Markdown's inline specials, so that ARNs with `*` and names with `_` print as they are, and
 * text from a container cannot become a link or an image. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

function wrap(text: string, width: number, indent: string, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    const candidate = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
    if (candidate.length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}

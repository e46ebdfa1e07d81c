// docs/benchmarks.md: the machine, then one section per area, each a table of figures with the
// median, the smallest and largest run, the number of runs, and how the figure was measured.

import { formatNumber, summarize, type Unit } from './stats.js';

export interface Figure {
  label: string;
  samples: number[];
  unit: Unit;
  method: string;
  /** Why there are no samples, when there are none. */
  missing?: string;
}

export interface Section {
  title: string;
  /** Paragraphs before the table: what runs, and against what. */
  lead: string[];
  figures: Figure[];
  /** Lines after the table: ratios, caveats. */
  notes?: string[];
}

export interface ReportMeta {
  mode: string;
  date: string;
  durationS: number;
  machine: string[];
  load: string;
  /** The load average exceeded the core count at the start or the end. */
  busy: boolean;
}

export function renderReport(meta: ReportMeta, sections: Section[]): string {
  const head = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (${meta.mode}) on ${meta.date}, in ${Math.round(meta.durationS)} s;` +
      ' do not edit by hand. Every figure runs against the emulator on this machine, never AWS.' +
      ' Each is the median of its runs, with the smallest and largest run beside it.',
    '',
    '## Machine',
    '',
    ...meta.machine,
    `- Load average (1 min) at the start and the end: ${meta.load}`,
    ...(meta.busy
      ? [
          '- Other work shared the machine during this run (load above the core count):' +
            ' expect slower and noisier figures than on an idle machine; compare runs made' +
            ' side by side, as the floor is.',
        ]
      : []),
    '',
  ];
  return [...head, ...sections.flatMap(renderSection)].join('\n');
}

function renderSection(section: Section): string[] {
  const lines = [`## ${section.title}`, ''];
  for (const paragraph of section.lead) lines.push(paragraph, '');
  if (section.figures.length === 0) return lines;
  lines.push(
    '| Figure | Median | Min | Max | Runs | How |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const figure of section.figures) lines.push(renderRow(figure));
  lines.push('');
  for (const note of section.notes ?? []) lines.push(`- ${note}`);
  if (section.notes?.length) lines.push('');
  return lines;
}

function renderRow(figure: Figure): string {
  const summary = summarize(figure.samples);
  const cells =
    summary.runs === 0
      ? [figure.missing ?? 'not measured', '', '', '0']
      : [
          `${formatNumber(summary.median)} ${figure.unit}`,
          formatNumber(summary.min),
          formatNumber(summary.max),
          String(summary.runs),
        ];
  return `| ${[figure.label, ...cells, figure.method].map(escapeCell).join(' | ')} |`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** How the median of `ours` compares with the median of `floor`: "3.4×" or "4.2 % of". */
export function ratio(ours: number[], floor: number[]): string {
  const a = summarize(ours).median;
  const b = summarize(floor).median;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '?';
  if (a / b < 1) return `${formatNumber((100 * a) / b)} % of`;
  return `${formatNumber(a / b)}×`;
}

// Samples and their summaries: every figure in the report is the median of its runs, with the
// smallest and largest beside it.

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Milliseconds since `started` (from `now()`). */
export function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export const now = (): bigint => process.hrtime.bigint();

/** Runs `action` and returns its result and how long it took in milliseconds. */
export async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = now();
  const result = await action();
  return [result, since(started)];
}

export type Unit = 'ms' | 's' | 'MiB/s' | 'MiB' | 'KiB' | 'calls';

/** "412 ms (398–450)", with as many digits as the size of the figure deserves. */
export function formatSummary(summary: Summary, unit: Unit): string {
  if (summary.runs === 0) return 'not measured';
  const median = formatNumber(summary.median);
  if (summary.runs === 1 || summary.min === summary.max) return `${median} ${unit}`;
  return `${median} ${unit} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '?';
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const MiB = 1024 * 1024;

/** MiB/s for `bytes` moved in `ms` milliseconds. */
export function mibPerSecond(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}

// What the deeper checks found about a task, kept so the tree can show it on the task's rows:
// the results of Diagnose Connection (its probe reaches into the container) and of a Connect that
// failed. Keyed by scope, cluster, task id and container; a new result for the same key replaces
// the old one, and results older than the limit are dropped.

import type { CheckResult } from '../diagnose/checkResult.js';
import { scopeId, type Scope } from './nodes.js';

export interface FindingsKey {
  scope: Scope;
  cluster: string;
  taskId: string;
  /** The container checked; absent when the whole task was. */
  container?: string;
}

export interface Finding {
  /** Only what needs attention: fail, warn and unknown. */
  results: CheckResult[];
  source: 'Diagnose Connection' | 'Connect';
  /** Epoch milliseconds. */
  at: number;
}

/** How long a finding is shown: long enough to act on it, short enough not to mislead. */
export const FINDINGS_MAX_AGE_MS = 30 * 60_000;
/** At most this many are kept; the oldest go first. */
export const MAX_ENTRIES = 500;

export class Findings {
  private readonly entries = new Map<string, Finding>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly maxAgeMs = FINDINGS_MAX_AGE_MS) {}

  /** Keeps what `results` found for `key`; results without a problem clear what was kept. */
  record(
    key: FindingsKey,
    results: CheckResult[],
    source: Finding['source'],
    now = Date.now(),
  ): void {
    const kept = results.filter((r) => r.outcome !== 'pass' && r.outcome !== 'skip');
    const id = keyOf(key);
    this.prune(now);
    if (kept.length === 0 && !this.entries.has(id)) return;
    this.entries.delete(id);
    if (kept.length > 0) this.entries.set(id, { results: kept, source, at: now });
    // The oldest go first when there are too many (Map keeps insertion order).
    for (const old of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(old);
    }
    for (const listener of this.listeners) listener();
  }

  /** How many findings are kept (tests). */
  get size(): number {
    return this.entries.size;
  }

  /** What was found for the task as a whole and for each of its containers. */
  forTask(key: Omit<FindingsKey, 'container'>, now = Date.now()): Finding[] {
    const prefix = keyOf(key);
    return [...this.entries.entries()]
      .filter(([id]) => id === prefix || id.startsWith(`${prefix}|`))
      .map(([id, finding]) => this.fresh(id, finding, now))
      .filter((finding): finding is Finding => finding !== undefined);
  }

  /** What was found for this container, and for its task as a whole. */
  forContainer(key: FindingsKey & { container: string }, now = Date.now()): Finding[] {
    const ids = [keyOf({ ...key, container: undefined }), keyOf(key)];
    return ids
      .map((id) => {
        const finding = this.entries.get(id);
        return finding && this.fresh(id, finding, now);
      })
      .filter((finding): finding is Finding => finding !== undefined);
  }

  /** Calls `listener` after each change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fresh(id: string, finding: Finding, now: number): Finding | undefined {
    if (this.isFresh(finding, now)) return finding;
    this.entries.delete(id);
    return undefined;
  }

  /** Fresh within the age limit either way, so a clock set back does not keep one forever. */
  private isFresh(finding: Finding, now: number): boolean {
    return Math.abs(now - finding.at) <= this.maxAgeMs;
  }

  private prune(now: number): void {
    for (const [id, finding] of this.entries) {
      if (!this.isFresh(finding, now)) this.entries.delete(id);
    }
  }
}

function keyOf(key: FindingsKey): string {
  const base = `${scopeId(key.scope)}|${key.cluster}|${key.taskId}`;
  return key.container ? `${base}|${key.container}` : base;
}

// How much the benchmark runs: the full plan for docs/benchmarks.md, and a smoke plan that only
// proves every path works (one run each, small sizes).

import { MiB } from './stats.js';
import type { ScaleShape } from './worlds.js';

export interface Plan {
  name: 'full' | 'smoke';
  warmRuns: number;
  coldRuns: number;
  proxyRuns: number;
  transferRuns: number;
  transferBytes: number;
  /** Chunk sizes tried besides the default. */
  chunkSizes: number[];
  dataChannelRuns: number;
  dataChannelBytes: number;
  scale: ScaleShape;
  scaleRuns: number;
  footprintRuns: number;
  /** Build the .vsix (takes seconds; skipped in smoke). */
  packageVsix: boolean;
}

export const FULL: Plan = {
  name: 'full',
  warmRuns: 10,
  coldRuns: 5,
  proxyRuns: 7,
  transferRuns: 3,
  transferBytes: 256 * MiB,
  chunkSizes: [4096, 16384],
  dataChannelRuns: 3,
  dataChannelBytes: 64 * MiB,
  scale: { clusters: 50, bigTasks: 5000, services: 10 },
  scaleRuns: 5,
  footprintRuns: 5,
  packageVsix: true,
};

export const SMOKE: Plan = {
  name: 'smoke',
  warmRuns: 1,
  coldRuns: 1,
  proxyRuns: 1,
  transferRuns: 1,
  transferBytes: 1 * MiB,
  chunkSizes: [4096],
  dataChannelRuns: 1,
  dataChannelBytes: 1 * MiB,
  scale: { clusters: 3, bigTasks: 120, services: 2 },
  scaleRuns: 1,
  footprintRuns: 1,
  packageVsix: false,
};

// Throughput: scp of one file up into the container and back down, through our proxy with the
// default chunk size and larger ones, and through the floor. Our runs also record the proxy's
// peak memory and CPU time with `/usr/bin/time -v`.

import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import type { WarmTarget } from './connect.js';
import type { Plan } from './plan.js';
import { readTimeReport, TIME_MISSING, timeAvailable, wrapProxy } from './proxyProcess.js';
import { ratio, type Figure, type Section } from './report.js';
import { runSsh, type Rig } from './rig.js';
import { formatNumber, MiB, mibPerSecond } from './stats.js';

const REMOTE = '/tmp/bench-payload';

interface Variant {
  label: string;
  chunkSize?: number;
  floor?: boolean;
  up: number[];
  down: number[];
  rssUp: number[];
  rssDown: number[];
  cpuUp: number[];
  cpuDown: number[];
}

export interface ThroughputResult {
  section: Section;
  /** Peak memory and CPU time of our runs, for the proxy section. */
  memory: Figure[];
}

function writeRandomFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(MiB);
  try {
    for (let left = bytes; left > 0; left -= block.length) {
      writeSync(fd, randomFillSync(block), 0, Math.min(block.length, left));
    }
  } finally {
    closeSync(fd);
  }
}

function variants(plan: Plan): Variant[] {
  const empty = () => ({ up: [], down: [], rssUp: [], rssDown: [], cpuUp: [], cpuDown: [] });
  return [
    { label: 'floor', floor: true, ...empty() },
    { label: 'ours, default chunk (1024 B)', ...empty() },
    ...plan.chunkSizes.map((n) => ({ label: `ours, --chunk-size ${n}`, chunkSize: n, ...empty() })),
  ];
}

export async function measureThroughput(
  rig: Rig,
  warm: WarmTarget,
  plan: Plan,
): Promise<ThroughputResult> {
  const upload = join(rig.dir, 'upload.bin');
  const download = join(rig.dir, 'download.bin');
  writeRandomFile(upload, plan.transferBytes);
  const all = variants(plan);
  try {
    for (let round = 0; round < plan.transferRuns; round += 1) {
      for (const variant of all) {
        await transfer(rig, warm, variant, [upload, `${warm.alias}:${REMOTE}`], 'up', plan);
        await transfer(rig, warm, variant, [`${warm.alias}:${REMOTE}`, download], 'down', plan);
        if (statSync(download).size !== plan.transferBytes) throw new Error('short download');
      }
    }
  } finally {
    rmSync(upload, { force: true });
    rmSync(download, { force: true });
  }
  return { section: throughputSection(all, plan), memory: memoryFigures(all, plan) };
}

async function transfer(
  rig: Rig,
  warm: WarmTarget,
  variant: Variant,
  args: string[],
  direction: 'up' | 'down',
  plan: Plan,
): Promise<void> {
  const ours = variant.chunkSize ? `${warm.ours} --chunk-size ${variant.chunkSize}` : warm.ours;
  const wrapped = variant.floor ? undefined : wrapProxy(ours, rig.dir, `scp-${direction}`);
  const proxyCommand = wrapped?.proxyCommand ?? warm.floor;
  const run = await runSsh(rig, 'scp', args, { proxyCommand, timeoutMs: 600_000 });
  variant[direction].push(mibPerSecond(plan.transferBytes, run.ms));
  const report = wrapped && readTimeReport(wrapped.timeFile);
  if (!report) return;
  (direction === 'up' ? variant.rssUp : variant.rssDown).push(report.maxRssMiB);
  (direction === 'up' ? variant.cpuUp : variant.cpuDown).push(report.cpuSeconds);
}

function throughputSection(all: Variant[], plan: Plan): Section {
  const [floor, ...ours] = all;
  const chunks = plan.chunkSizes.join(' and ');
  return {
    title: 'Throughput',
    lead: [
      'One file of random bytes copied with `scp` (OpenSSH: SFTP protocol) into the warm' +
        " container's /tmp and back out to a file here, through the floor and through our proxy" +
        ` with its default chunk size (1024-byte data messages) and with \`--chunk-size\` ${chunks}` +
        ' appended to the ProxyCommand. The download size is checked. Each round runs every' +
        ' variant once, up then down. Our runs go through the shim and `/usr/bin/time -v` of' +
        ' the next section, which only wait beside the data path. The chunk size shapes what the' +
        ' client sends; the emulated agent always answers in 1024-byte messages, as the agent' +
        ' does, so downloads do not change with it.',
    ],
    figures: throughputFigures(all, plan),
    notes: ours.map(
      (v) =>
        `${v.label}: upload ${ratio(v.up, floor.up)} the floor's rate, download ${ratio(v.down, floor.down)} it.`,
    ),
  };
}

function throughputFigures(all: Variant[], plan: Plan): Figure[] {
  const size = `${formatNumber(plan.transferBytes / MiB)} MiB`;
  return all.flatMap((variant) =>
    (['up', 'down'] as const).map((direction) => ({
      label: `${direction === 'up' ? 'Upload' : 'Download'}, ${variant.label}`,
      samples: variant[direction],
      unit: 'MiB/s' as const,
      method: `${size} / wall time of \`scp ${direction === 'up' ? 'file <alias>:/tmp' : '<alias>:/tmp/… file'}\`, connect included`,
    })),
  );
}

function memoryFigures(all: Variant[], plan: Plan): Figure[] {
  const size = `${formatNumber(plan.transferBytes / MiB)} MiB`;
  const missing = timeAvailable() ? undefined : TIME_MISSING;
  return all
    .filter((variant) => !variant.floor)
    .flatMap((variant) => [
      {
        label: `${size} upload, ${variant.label}: peak memory`,
        samples: variant.rssUp,
        unit: 'MiB' as const,
        method: '`/usr/bin/time -v` maximum resident set size of the proxy during the scp',
        missing,
      },
      {
        label: `${size} download, ${variant.label}: peak memory`,
        samples: variant.rssDown,
        unit: 'MiB' as const,
        method: 'the same, downloading',
        missing,
      },
      {
        label: `${size} upload, ${variant.label}: proxy CPU time`,
        samples: variant.cpuUp,
        unit: 's' as const,
        method: '`/usr/bin/time -v` user + system seconds of the proxy',
        missing,
      },
      {
        label: `${size} download, ${variant.label}: proxy CPU time`,
        samples: variant.cpuDown,
        unit: 's' as const,
        method: 'the same, downloading',
        missing,
      },
    ]);
}

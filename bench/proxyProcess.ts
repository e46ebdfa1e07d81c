// The proxy process on its own: how long node takes to load the bundle, the time from its start
// to the first SSH byte it writes, and its peak memory (`/usr/bin/time -v`), for a warm connect.
// The transfer figures reuse `wrapProxy` to record memory and CPU time during scp.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CLI, PROXY } from '../test/support/e2e.js';
import type { WarmTarget } from './connect.js';
import type { Plan } from './plan.js';
import { runOk } from './processes.js';
import type { Figure, Section } from './report.js';
import { runSsh, type Rig } from './rig.js';

const SHIM = join(__dirname, 'proxyShim.mjs');
export const TIME = '/usr/bin/time';
export const TIME_MISSING = 'needs /usr/bin/time (Debian package `time`)';

export function timeAvailable(): boolean {
  return existsSync(TIME);
}

export interface Wrapped {
  proxyCommand: string;
  timeFile: string;
  firstByteFile?: string;
}

/** Our ProxyCommand inside the shim and, when present, `/usr/bin/time -v`. */
export function wrapProxy(ours: string, dir: string, tag: string, firstByte = false): Wrapped {
  const timeFile = join(dir, `time-${tag}.txt`);
  const firstByteFile = firstByte ? join(dir, `first-byte-${tag}.txt`) : undefined;
  const shim = [process.execPath, SHIM, ...(firstByteFile ? ['--first-byte', firstByteFile] : [])];
  const time = timeAvailable() ? [TIME, '-v', '-o', timeFile] : [];
  return { proxyCommand: [...shim, '--', ...time, ours].join(' '), timeFile, firstByteFile };
}

export interface TimeReport {
  maxRssMiB: number;
  cpuSeconds: number;
}

export function readTimeReport(file: string): TimeReport | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1]);
  const rss = field('Maximum resident set size \\(kbytes\\)');
  if (!Number.isFinite(rss)) return undefined;
  const cpu = field('User time \\(seconds\\)') + field('System time \\(seconds\\)');
  return { maxRssMiB: rss / 1024, cpuSeconds: cpu };
}

export async function measureProxyStart(rig: Rig, warm: WarmTarget, plan: Plan): Promise<Figure[]> {
  const load: number[] = [];
  const loadCli: number[] = [];
  const firstByte: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < plan.proxyRuns; i += 1) {
    load.push((await runOk(process.execPath, [PROXY, '--help'], rig.emulator.endpoint)).ms);
    const cli = [CLI, 'proxy', '--help'];
    loadCli.push((await runOk(process.execPath, cli, rig.emulator.endpoint)).ms);
    const wrapped = wrapProxy(warm.ours, rig.dir, `warm-${i}`, true);
    await runSsh(rig, 'ssh', [warm.alias, 'true'], { proxyCommand: wrapped.proxyCommand });
    const ms = Number(readFileSync(wrapped.firstByteFile as string, 'utf8'));
    if (Number.isFinite(ms)) firstByte.push(ms);
    const report = readTimeReport(wrapped.timeFile);
    if (report) rss.push(report.maxRssMiB);
  }
  return [
    {
      label: 'Load: `node dist/proxy.js --help`',
      samples: load,
      unit: 'ms',
      method: 'spawn to exit: node start plus loading and parsing the bundle',
    },
    {
      label: 'Load: `node dist/cli.js proxy --help`',
      samples: loadCli,
      unit: 'ms',
      method: 'the same for the CLI bundle, which is what `ecs-ssh config` Host blocks run',
    },
    {
      label: 'Warm connect: start to first SSH byte',
      samples: firstByte,
      unit: 'ms',
      method:
        'a shim (bench/proxyShim.mjs) spawns the ProxyCommand and stamps its first stdout byte (the sshd banner)',
    },
    {
      label: 'Warm connect: peak memory',
      samples: rss,
      unit: 'MiB',
      method: '`/usr/bin/time -v` maximum resident set size of the proxy for `ssh <alias> true`',
      missing: timeAvailable() ? undefined : TIME_MISSING,
    },
  ];
}

export function proxySection(start: Figure[], memory: Figure[]): Section {
  return {
    title: 'The proxy process',
    lead: [
      'The ProxyCommand process alone. For warm connects the ProxyCommand runs under' +
        ' bench/proxyShim.mjs, which spawns `/usr/bin/time -v` and our proxy, stamps the first' +
        ' byte the proxy writes to stdout, and turns the hang-up ssh sends at the end into' +
        ' SIGINT so that `time` still writes its report. Memory is the maximum resident set' +
        ' size of the proxy process (node with the bundle), CPU time its user plus system time.',
    ],
    figures: [...start, ...memory],
  };
}

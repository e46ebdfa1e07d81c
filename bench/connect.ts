// Connect: `ssh <alias> true` through our proxy, warm (sshd already up) and cold (a fresh
// container whose image has no sshd: the bootstrap installs it with apt from the image's local
// repository), next to the floor: the same ssh, key and sshd through a minimal relay.

import type { Plan } from './plan.js';
import type { Figure, Section } from './report.js';
import { ratio } from './report.js';
import {
  configure,
  floorProxyCommand,
  namespaceOf,
  proxyCommandOf,
  runSsh,
  sshdPort,
  type Rig,
} from './rig.js';
import { CLUSTER, COLD_SERVICE, WARM_TASK } from './worlds.js';

/** The warm container: its alias, our ProxyCommand for it, and the floor's. */
export interface WarmTarget {
  alias: string;
  ours: string;
  floor: string;
}

/** Configures the warm task, starts its sshd with one connect, and finds its namespace. */
export async function prepareWarm(rig: Rig): Promise<WarmTarget> {
  const alias = await configure(rig, CLUSTER, `task/${WARM_TASK}`);
  const first = await runSsh(rig, 'ssh', [alias, 'true']);
  const netns = await namespaceOf(rig, alias);
  return {
    alias,
    ours: proxyCommandOf(rig, alias),
    floor: floorProxyCommand(netns, sshdPort(first.stderr)),
  };
}

/** Seconds on the proxy's log clock at the first line matching `pattern`. */
export function stepAt(stderr: string, pattern: RegExp): number | undefined {
  const line = stderr.split('\n').find((l) => pattern.test(l));
  const seconds = line && /\[(\d+(?:\.\d+)?)s\]/.exec(line)?.[1];
  return seconds ? Number(seconds) * 1000 : undefined;
}

function bootstrapMs(stderr: string): number | undefined {
  const start = stepAt(stderr, /starting sshd/);
  const ready = stepAt(stderr, /sshd ready on port/);
  return start !== undefined && ready !== undefined ? ready - start : undefined;
}

const push = (list: number[], value: number | undefined) => value !== undefined && list.push(value);

export async function measureConnect(rig: Rig, warm: WarmTarget, plan: Plan): Promise<Section> {
  const ours: number[] = [];
  const floor: number[] = [];
  const beforeStream: number[] = [];
  for (let i = 0; i < plan.warmRuns; i += 1) {
    const run = await runSsh(rig, 'ssh', [warm.alias, 'true']);
    ours.push(run.ms);
    push(beforeStream, stepAt(run.stderr, /opening the SSH stream/));
    floor.push((await runSsh(rig, 'ssh', [warm.alias, 'true'], { proxyCommand: warm.floor })).ms);
  }
  const cold = await measureCold(rig, plan);
  return {
    title: 'Connect',
    lead: [
      'Wall time of `ssh -F <config> <alias> true`, from spawn to exit, with the Host block that' +
        ' `ecs-ssh config` writes. Warm: the container runs our sshd already (the proxy takes the' +
        ' fast path). Cold: a fresh container from the `apt-local` image, which has no sshd; the' +
        ' bootstrap installs openssh-server with apt from the repository inside the image, then' +
        ' starts it. Each cold run first replaces the service task (outside the timing), so every' +
        ' run gets a new container.',
      'The floor is the same ssh command with the same config, key, user, host key alias and' +
        ' sshd, with ProxyCommand replaced by `ip netns exec <container namespace> bash -c` that' +
        " opens bash's /dev/tcp to sshd's port and copies both ways with two `cat`s: no node, no" +
        ' AWS API, no Session Manager. Warm runs alternate ours and the floor.',
    ],
    figures: connectFigures(ours, floor, beforeStream, cold),
    notes: [
      `Warm connect through our proxy: ${ratio(ours, floor)} the floor.`,
      `Cold connect through our proxy: ${ratio(cold.total, floor)} the floor.`,
    ],
  };
}

interface ColdSamples {
  total: number[];
  bootstrap: number[];
}

async function measureCold(rig: Rig, plan: Plan): Promise<ColdSamples> {
  const alias = await configure(rig, CLUSTER, `service/${COLD_SERVICE}`);
  const samples: ColdSamples = { total: [], bootstrap: [] };
  for (let i = 0; i < plan.coldRuns; i += 1) {
    if (i > 0) await rig.emulator.ecs?.replaceServiceTask(CLUSTER, COLD_SERVICE);
    const run = await runSsh(rig, 'ssh', [alias, 'true'], { timeoutMs: 300_000 });
    if (!/sshd ready on port \d+ \(installed/.test(run.stderr)) {
      throw new Error(`a cold connect did not install sshd: ${run.stderr}`);
    }
    samples.total.push(run.ms);
    push(samples.bootstrap, bootstrapMs(run.stderr));
  }
  return samples;
}

function connectFigures(
  ours: number[],
  floor: number[],
  beforeStream: number[],
  cold: ColdSamples,
): Figure[] {
  const wall = '`ssh <alias> true`, spawn to exit';
  return [
    { label: 'Warm, through our proxy', samples: ours, unit: 'ms', method: wall },
    { label: 'Warm, floor', samples: floor, unit: 'ms', method: `${wall}, floor ProxyCommand` },
    {
      label: 'Warm: proxy steps before the SSH stream',
      samples: beforeStream,
      unit: 'ms',
      method:
        "the proxy's own log clock (starts after node has loaded the bundle) at `opening the SSH stream`: resolve the task, fast-path bootstrap, pin the host key",
    },
    { label: 'Cold, through our proxy', samples: cold.total, unit: 'ms', method: wall },
    {
      label: 'Cold: bootstrap alone',
      samples: cold.bootstrap,
      unit: 'ms',
      method:
        "the proxy's log, `starting sshd` to `sshd ready`: the command session that runs apt-get install and starts sshd",
    },
  ];
}

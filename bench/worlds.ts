// The worlds the benchmark runs against: one cluster of real containers for connect and
// throughput, and a large inventory (no real containers) for the scale figures.

import type { World } from '../test/emulator/index.js';
import { CALLER, CALLER_POLICY, CALLER_ROLE } from '../test/support/diagnoseWorlds.js';

export const CLUSTER = 'bench';
export const COLD_SERVICE = 'cold';
/** The task whose sshd stays up: warm connects and transfers. */
export const WARM_TASK = 'a'.repeat(32);
export const BIG_CLUSTER = 'big';

type Cluster = NonNullable<World['ecs']>['clusters'][number];
type Task = NonNullable<Cluster['tasks']>[number];

const app = (emulatedImage: 'sshd' | 'apt-local') =>
  ({ name: 'app', image: 'debian:bookworm', emulatedImage }) as never;

export function connectWorld(): World {
  return {
    targets: {},
    ecs: {
      clusters: [
        {
          name: CLUSTER,
          services: [{ name: COLD_SERVICE, taskDefinition: 'cold:1', enableExecuteCommand: true }],
          tasks: [
            {
              service: COLD_SERVICE,
              taskDefinition: 'cold:1',
              enableExecuteCommand: true,
              containers: [app('apt-local')],
            },
            {
              id: WARM_TASK,
              taskDefinition: 'warm:1',
              enableExecuteCommand: true,
              containers: [app('sshd')],
            },
          ],
        },
      ],
    },
  };
}

export interface ScaleShape {
  clusters: number;
  bigTasks: number;
  services: number;
}

/**
 * `clusters` clusters; the last, `big`, holds `bigTasks` tasks of two containers each, spread
 * over `services` services with a tenth of them standalone. The others hold two tasks each.
 */
export function scaleWorld(shape: ScaleShape): World {
  const clusters: Cluster[] = [];
  for (let c = 1; c < shape.clusters; c += 1) {
    const tasks = [0, 1].map((i) => task(`small${c}:1`, hexId(c, i)));
    clusters.push({ name: `cluster-${String(c).padStart(2, '0')}`, tasks });
  }
  clusters.push(bigCluster(shape));
  // A caller who may simulate, so the tree's deeper checks run as they would for most users.
  const iam = { caller: CALLER, policies: { [CALLER_ROLE]: CALLER_POLICY } };
  return { targets: {}, ecs: { clusters }, iam };
}

function bigCluster(shape: ScaleShape): Cluster {
  const services = Array.from({ length: shape.services }, (_, s) => ({
    name: `svc-${String(s).padStart(2, '0')}`,
    taskDefinition: `svc-${s}:1`,
    enableExecuteCommand: true,
  }));
  const tasks: Task[] = [];
  for (let i = 0; i < shape.bigTasks; i += 1) {
    const service = i % 10 === 9 ? undefined : services[Math.floor(i / 10) % services.length];
    tasks.push({
      ...task(service?.taskDefinition ?? 'job:1', hexId(0, i)),
      service: service?.name,
    });
  }
  return { name: BIG_CLUSTER, services, tasks };
}

function task(taskDefinition: string, id: string): Task {
  return {
    id,
    taskDefinition,
    enableExecuteCommand: true,
    containers: [{ name: 'app' }, { name: 'log-router' }],
  };
}

function hexId(cluster: number, index: number): string {
  const text = `${cluster.toString(16).padStart(4, '0')}${index.toString(16).padStart(8, '0')}`;
  return text.padStart(32, 'f');
}

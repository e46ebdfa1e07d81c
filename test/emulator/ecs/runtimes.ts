// Keeps Session Manager targets in step with ECS tasks: every container that ECS Exec could reach
// becomes a target `ecs:<cluster>_<taskId>_<runtimeId>`. Containers with an `emulatedImage` run
// for real (a network namespace and a root file system, see test/containers/); the others dial
// the loopback ports their `ports` name. Stopped tasks lose their target and their container.

import type { Container } from '../../containers/container.js';
import type { TargetRuntime } from '../runtime.js';
import type { World } from '../world.js';
import { agentProblem } from './connectivity.js';
import { isExecReachable, ssmTargetOf, type ContainerState, type TaskState } from './model.js';
import type { EcsState } from './state.js';

type StartContainer = (image: string, name: string) => Promise<Container>;

export class EcsRuntimes {
  /** Real containers by `<cluster>/<taskId>/<name>`. */
  private readonly running = new Map<string, { container: Container; runtimeId?: string }>();
  private readonly byTarget = new Map<string, Container>();
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: EcsState,
    private readonly world: World,
    private readonly start: StartContainer,
  ) {}

  runtimeFor(targetId: string): TargetRuntime | undefined {
    return this.byTarget.get(targetId);
  }

  /** Starts, restarts and stops real containers to match the state, then rewrites targets. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.reconcileNow());
    return this.reconciling;
  }

  async close(): Promise<void> {
    await this.reconciling.catch(() => undefined);
    await Promise.all([...this.running.values()].map(({ container }) => container.stop()));
    this.running.clear();
    this.byTarget.clear();
  }

  private async reconcileNow(): Promise<void> {
    const wanted = new Set<string>();
    for (const task of this.state.tasks) {
      for (const container of task.containers) {
        if (!container.spec.emulatedImage || !isLive(task)) continue;
        const key = `${task.cluster}/${task.id}/${container.spec.name}`;
        wanted.add(key);
        await this.ensureRunning(key, container);
      }
    }
    for (const [key, entry] of this.running) {
      if (wanted.has(key)) continue;
      this.running.delete(key);
      await entry.container.stop();
    }
    this.rewriteTargets();
  }

  private async ensureRunning(key: string, container: ContainerState): Promise<void> {
    const entry = this.running.get(key);
    if (!entry) {
      const real = await this.start(container.spec.emulatedImage as string, container.spec.name);
      this.running.set(key, { container: real, runtimeId: container.runtimeId });
      return;
    }
    if (entry.runtimeId !== container.runtimeId) {
      await entry.container.restart();
      entry.runtimeId = container.runtimeId;
    }
  }

  private rewriteTargets(): void {
    const targets: World['targets'] = {};
    this.byTarget.clear();
    for (const task of this.state.tasks) {
      for (const container of task.containers) {
        if (!isExecReachable(task, container)) continue;
        const id = ssmTargetOf(task, container);
        const real = this.running.get(`${task.cluster}/${task.id}/${container.spec.name}`);
        if (container.spec.emulatedImage && !real) continue;
        if (real) this.byTarget.set(id, real.container);
        const connected = agentProblem(this.state, this.world, task, container) === undefined;
        targets[id] = {
          ports: { ...(container.spec.ports ?? {}) },
          ...(!connected && { connected }),
        };
      }
    }
    for (const id of Object.keys(this.world.targets)) {
      if (id.startsWith('ecs:') && this.isEcsManaged(id) && !targets[id])
        delete this.world.targets[id];
    }
    Object.assign(this.world.targets, targets);
  }

  /** Targets of a cluster the ECS state knows are ours to rewrite; others the world names. */
  isEcsManaged(id: string): boolean {
    const cluster = id.slice(4).split('_')[0];
    return this.state.clusters.has(cluster);
  }
}

function isLive(task: TaskState): boolean {
  return (task.spec.lastStatus ?? 'RUNNING') !== 'STOPPED';
}

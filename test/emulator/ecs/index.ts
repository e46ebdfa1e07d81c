// ECS inside the emulator: the state, the API context, the runtimes of real containers, and the
// lifecycle controls tests use. Real containers are loaded lazily, so a world without any
// `emulatedImage` never touches namespaces.

import { spawn } from 'node:child_process';

import type { RuntimeFactory, TargetRuntime } from '../runtime.js';
import type { World } from '../world.js';
import type { TaskSpec, TaskState, ContainerState } from './model.js';
import type { EcsContext } from './operations.js';
import { EcsRuntimes } from './runtimes.js';
import { EcsState } from './state.js';

export interface EcsControls {
  state: EcsState;
  /** The task stops; its container and target go away. */
  stopTask(cluster: string, taskId: string, reason?: string): Promise<TaskState>;
  /** A new deployment: the service's running tasks stop, one new task starts. */
  replaceServiceTask(
    cluster: string,
    service: string,
    changes?: Partial<TaskSpec>,
  ): Promise<TaskState>;
  /** The container restarts in place with a new runtime id. */
  restartContainer(cluster: string, taskId: string, name: string): Promise<ContainerState>;
  /** Waits until real containers and targets match the state (after API changes). */
  settle(): Promise<void>;
}

/** An ECS container with no image behind it: nothing listens and no command can run. */
function imagelessRuntime(targetId: string): TargetRuntime {
  const why =
    `emulator: ${targetId} has no image to run commands in; give its container an ` +
    '"emulatedImage" (sshd, apt-local or offline) in the world file.';
  return {
    dial: (port) =>
      Promise.reject(new Error(`dial tcp 127.0.0.1:${port}: connect: connection refused`)),
    run: () =>
      spawn(
        process.execPath,
        ['-e', `process.stderr.write(${JSON.stringify(`${why}\n`)}); process.exit(127)`],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
  };
}

export interface EcsSetup {
  context: EcsContext;
  controls: EcsControls;
  /**
   * Where a target's sessions run: a real container, else `fallback`. With `hostFallback`, the
   * fallback is this machine itself, and an ECS container without an `emulatedImage` must not
   * run commands here (a bootstrap would install and start sshd on the host): it gets a runtime
   * that refuses, saying what to set.
   */
  runtime: (fallback: RuntimeFactory, hostFallback: boolean) => RuntimeFactory;
  close(): Promise<void>;
}

export async function setupEcs(
  world: World,
  startExecSession: EcsContext['startExecSession'],
): Promise<EcsSetup | undefined> {
  if (!world.ecs) return undefined;
  const state = new EcsState(world.ecs);
  const runtimes = new EcsRuntimes(state, world, async (image, name) => {
    const { startContainer } = await import('../../containers/container.js');
    return startContainer({ image: image as 'sshd' | 'apt-local' | 'offline', name });
  });
  state.onChange = () => void runtimes.reconcile();
  await runtimes.reconcile();

  const controls: EcsControls = {
    state,
    stopTask: async (cluster, taskId, reason) => after(state.stopTask(cluster, taskId, reason)),
    replaceServiceTask: async (cluster, service, changes) =>
      after(state.replaceServiceTask(cluster, service, changes)),
    restartContainer: async (cluster, taskId, name) =>
      after(state.restartContainer(cluster, taskId, name)),
    settle: () => runtimes.reconcile(),
  };
  async function after<T>(result: T): Promise<T> {
    await runtimes.reconcile();
    return result;
  }

  return {
    context: { state, startExecSession },
    controls,
    runtime: (fallback, hostFallback) => (targetId, spec) =>
      runtimes.runtimeFor(targetId) ??
      (hostFallback && runtimes.isEcsManaged(targetId)
        ? imagelessRuntime(targetId)
        : fallback(targetId, spec)),
    close: () => runtimes.close(),
  };
}

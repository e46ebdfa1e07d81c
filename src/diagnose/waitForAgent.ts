// A task reaches RUNNING before the ECS Exec agent in its container does, and the SDK has no
// waiter for the agent. This polls DescribeTasks with backoff, reporting progress, until the
// agent leaves PENDING (and the container has its runtime id) or the time allowed runs out.

import {
  DescribeTasksCommand,
  type Container,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';

import {
  findTask,
  resolveTarget,
  ResolveError,
  type ResolvedTarget,
  type TargetSpec,
} from '../aws/resolveTarget.js';
import { agentOf } from './containerChecks.js';

export const DEFAULT_AGENT_WAIT_MS = 60_000;
const STEPS_MS = [1000, 2000, 3000, 5000];

export interface AgentWaitOptions {
  /** How long to wait in all; default 60 s. */
  timeoutMs?: number;
  /** Called before each poll: "waiting for the ECS Exec agent in container "app" (PENDING, 3 s of 60 s)". */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

/** True while the container is still on its way to being reachable by ECS Exec. */
export function isStarting(container: Container | undefined): boolean {
  if (!container) return false;
  const agent = agentOf(container)?.lastStatus;
  return agent === 'PENDING' || (agent === 'RUNNING' && !container.runtimeId);
}

/** The task as last seen: the agent has started or stopped, or the time ran out. */
export async function waitForAgent(
  ecs: ECSClient,
  cluster: string,
  task: Task,
  containerName: string,
  options: AgentWaitOptions = {},
): Promise<Task> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_AGENT_WAIT_MS;
  const started = Date.now();
  let current = task;
  for (let attempt = 0; isStarting(containerIn(current, containerName)); attempt++) {
    const elapsed = Date.now() - started;
    // The last wait is cut to end at the deadline, so the whole time allowed is used.
    const step = Math.min(STEPS_MS[Math.min(attempt, STEPS_MS.length - 1)], timeoutMs - elapsed);
    if (step <= 0) break;
    const status = agentOf(containerIn(current, containerName) as Container)?.lastStatus;
    options.onProgress?.(
      `waiting for the ECS Exec agent in container "${containerName}" (${status}, ` +
        `${Math.round(elapsed / 1000)} s of ${Math.round(timeoutMs / 1000)} s)`,
    );
    await sleep(step, options.signal);
    const reply = await ecs.send(
      new DescribeTasksCommand({ cluster, tasks: [task.taskArn ?? ''] }),
    );
    current = reply.tasks?.[0] ?? current;
  }
  return current;
}

/**
 * resolveTarget, but when the agent is still starting it waits for it (bounded) and resolves
 * again; the proxy uses this so that a connection made seconds after a deploy just works.
 */
export async function resolveWhenReady(
  ecs: ECSClient,
  cluster: string,
  spec: TargetSpec,
  containerName: string | undefined,
  options: AgentWaitOptions = {},
): Promise<ResolvedTarget> {
  try {
    return await resolveTarget(ecs, cluster, spec, containerName);
  } catch (error) {
    if (!isAgentWait(error)) throw error;
    const task = await findTask(ecs, cluster, spec);
    const name = containerName ?? task.containers?.[0]?.name ?? '';
    if (!isStarting(containerIn(task, name)) || (options.timeoutMs ?? 1) <= 0) throw error;
    const ready = await waitForAgent(ecs, cluster, task, name, options);
    return resolveTarget(ecs, cluster, { kind: 'task', taskId: ready.taskArn ?? '' }, name);
  }
}

function isAgentWait(error: unknown): boolean {
  if (!(error instanceof ResolveError)) return false;
  return error.code === 'AGENT_NOT_RUNNING' || error.code === 'NO_RUNTIME_ID';
}

function containerIn(task: Task, name: string): Container | undefined {
  return (task.containers ?? []).find((c) => c.name === name);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

// Whether ECS Exec (and so a connection) can reach a task or a container, and if not, why:
// the same conditions resolveTarget checks, said in a few words for a tree row.

import type { ContainerSummary, TaskSummary } from './nodes.js';

export interface ExecState {
  ok: boolean;
  /** A few words: "ECS Exec on", "ECS Exec off", "agent PENDING". */
  short: string;
  /** A sentence for the tooltip: the reason and what to do. */
  detail: string;
}

export function taskExecState(task: TaskSummary): ExecState {
  if (task.lastStatus !== 'RUNNING') {
    const reason = task.stoppedReason ? `: ${task.stoppedReason}` : '';
    return {
      ok: false,
      short: 'not running',
      detail: `The task is ${task.lastStatus}, not RUNNING${reason}.`,
    };
  }
  if (!task.execEnabled) {
    return {
      ok: false,
      short: 'ECS Exec off',
      detail:
        'ECS Exec is off: the flag is fixed when a task starts. Enable execute command on ' +
        'its service and force a new deployment, or run the task with --enable-execute-command.',
    };
  }
  return { ok: true, short: 'ECS Exec on', detail: 'ECS Exec is on.' };
}

export function containerExecState(task: TaskSummary, container: ContainerSummary): ExecState {
  const taskState = taskExecState(task);
  if (!taskState.ok) return taskState;
  if (container.agentStatus === undefined) {
    return {
      ok: false,
      short: 'no exec agent',
      detail: 'The container reports no ECS Exec agent (a sidecar AWS added, or it failed).',
    };
  }
  if (container.agentStatus !== 'RUNNING') {
    const reason = container.agentReason ? ` (${container.agentReason})` : '';
    return {
      ok: false,
      short: `agent ${container.agentStatus}`,
      detail: `The ECS Exec agent is ${container.agentStatus}${reason}, not RUNNING.`,
    };
  }
  if (!container.runtimeId) {
    return { ok: false, short: 'starting', detail: 'The container has no runtime id yet.' };
  }
  return { ok: true, short: 'agent RUNNING', detail: 'The ECS Exec agent is RUNNING.' };
}

/** A task is connectable when at least one of its containers is. */
export function isTaskConnectable(task: TaskSummary): boolean {
  return task.containers.some((container) => containerExecState(task, container).ok);
}

// Checks on the container a connection goes to: which one it is, the state of its ECS Exec
// agent, its runtime id, and whether a shared process namespace keeps the agent out of it.

import type { Container, Task, TaskDefinition } from '@aws-sdk/client-ecs';

import { findContainer } from '../aws/resolveTarget.js';
import type { CheckResult } from './checkResult.js';
import { finding, pass, quotedList, skip, taskIdOf } from './result.js';

export const EXEC_AGENT = 'ExecuteCommandAgent';

export function agentOf(container: Container) {
  return (container.managedAgents ?? []).find((agent) => agent.name === EXEC_AGENT);
}

/** The container by name, or the only one; otherwise a CONTAINER_NOT_FOUND failure. */
export function pickContainer(task: Task, wanted: string | undefined): Container | CheckResult {
  const found = findContainer(task, wanted);
  if (found) return found;
  const names = quotedList((task.containers ?? []).map((c) => c.name ?? '')) || 'none';
  const what = wanted
    ? `has no container "${wanted}"; its containers are`
    : 'has several containers:';
  return finding(
    'fail',
    'CONTAINER_NOT_FOUND',
    'Container',
    `Task "${taskIdOf(task.taskArn)}" ${what} ${names}.`,
    'Choose one of them with --container.',
  );
}

/** The agent in `container`; `onEc2` adds the host's ECS agent to the likely causes of a stop. */
/** What to do about an agent still starting, whether or not someone already waited. */
export const AGENT_PENDING_FIX =
  'Wait for the agent (it usually starts within a minute of the task), then try again; if it ' +
  'stays PENDING for minutes, start a new task.';

export function checkAgent(container: Container, onEc2 = false): CheckResult {
  const title = 'ECS Exec agent';
  const name = container.name ?? '';
  const agent = agentOf(container);
  const status = agent?.lastStatus;
  if (status === 'RUNNING') {
    return pass('AGENT_STOPPED', title, `The ECS Exec agent in container "${name}" is RUNNING.`);
  }
  if (!agent) {
    return finding(
      'fail',
      'AGENT_MISSING',
      title,
      `Container "${name}" reports no ECS Exec agent: AWS added it as a sidecar, or it did ` +
        `not start.`,
      'Connect to another container of the task with --container.',
    );
  }
  if (status === 'PENDING') {
    return finding(
      'fail',
      'AGENT_PENDING',
      title,
      `The ECS Exec agent in container "${name}" is still PENDING: the task runs, the agent ` +
        `has not started yet.`,
      AGENT_PENDING_FIX,
    );
  }
  const reason = agent.reason ? ` (${agent.reason})` : ' with no reason given';
  return finding(
    'fail',
    'AGENT_STOPPED',
    title,
    `The ECS Exec agent in container "${name}" is ${status ?? 'in no known state'}${reason}.`,
    'Likely causes: no network path from the task to the ssmmessages endpoint (a private ' +
      'subnet needs NAT or an ssmmessages VPC endpoint), a task role without the ssmmessages ' +
      "actions, AWS keys in the container's environment, " +
      (onEc2 ? 'an outdated ECS agent on the EC2 host, ' : '') +
      'or an agent that crashed at start. Fix the cause, then start a new task.',
  );
}

export function checkRuntimeId(container: Container): CheckResult {
  const title = 'Runtime id';
  const name = container.name ?? '';
  if (container.runtimeId)
    return pass('NO_RUNTIME_ID', title, `Container "${name}" has a runtime id.`);
  return finding(
    'fail',
    'NO_RUNTIME_ID',
    title,
    `Container "${name}" has no runtime id yet: it is still starting.`,
    'Try again in a few seconds.',
  );
}

/**
 * ECS Exec runs one agent per process namespace. With pidMode "task" (or "host") the agent runs
 * in only one of the task's containers, and ECS picks which.
 */
export function checkPidMode(
  task: Task,
  definition: TaskDefinition | undefined,
  container: Container | undefined,
): CheckResult {
  const title = 'Process namespace (pidMode)';
  if (!definition) return skip('SHARED_PID_MODE', title, 'The task definition was not read.');
  const mode = definition.pidMode;
  if (mode !== 'task' && mode !== 'host') {
    return pass('SHARED_PID_MODE', title, 'Each container has its own process namespace.');
  }
  const containers = task.containers ?? [];
  const reachable = containers.filter((c) => agentOf(c)?.lastStatus === 'RUNNING');
  const names = (list: Container[]) => quotedList(list.map((c) => c.name ?? '')) || 'none';
  const unreachable = containers.filter((c) => !reachable.includes(c));
  if (reachable.length === 0) {
    // No agent runs anywhere yet (or at all): the agent's own check says why, not the pidMode.
    return skip('SHARED_PID_MODE', title, 'No container has a running ECS Exec agent to share.');
  }
  if (unreachable.length === 0) {
    return pass(
      'SHARED_PID_MODE',
      title,
      `pidMode "${mode}": the ECS Exec agent runs in every container.`,
    );
  }
  const blocked = container !== undefined && !reachable.includes(container);
  const message =
    `Task definition "${definition.family}:${definition.revision}" shares one process ` +
    `namespace (pidMode "${mode}"), and ECS Exec runs in only one container per namespace: ` +
    `${names(reachable)} can be reached, ${names(unreachable)} cannot.`;
  const fix = blocked
    ? `Connect to ${names(reachable)} with --container, or remove pidMode from the task ` +
      `definition and redeploy.`
    : 'Only that container can be reached; remove pidMode from the task definition to reach ' +
      'the others.';
  return finding(blocked ? 'fail' : 'warn', 'SHARED_PID_MODE', title, message, fix);
}

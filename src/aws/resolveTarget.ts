// Finds the task and container a connection is for, and the Session Manager target id of that
// container (`ecs:<cluster>_<taskId>_<runtimeId>`). A target is a task id or ARN, or a service
// or task family whose current RUNNING task is followed.

import {
  DescribeTasksCommand,
  ListTasksCommand,
  type Container,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';

export type TargetSpec =
  | { kind: 'task'; taskId: string }
  | { kind: 'service'; serviceName: string }
  | { kind: 'family'; family: string };

export interface ResolvedTarget {
  clusterName: string;
  taskArn: string;
  taskId: string;
  containerName: string;
  runtimeId: string;
  /** What StartSession takes as Target. */
  ssmTarget: string;
  task: Task;
}

export type ResolveErrorCode =
  | 'SERVICE_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'NO_RUNNING_TASK'
  | 'TASK_NOT_RUNNING'
  | 'EXEC_DISABLED'
  | 'CONTAINER_NOT_FOUND'
  | 'AGENT_NOT_RUNNING'
  | 'NO_RUNTIME_ID';

export class ResolveError extends Error {
  override name = 'ResolveError';

  constructor(
    readonly code: ResolveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Parses `task/<id>`, `service/<name>`, `family/<name>`, a task ARN, or a bare task id. */
export function parseTargetSpec(text: string): TargetSpec {
  const arn = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:task\/(?:[^/]+\/)?([^/]+)$/.exec(text);
  if (arn) return { kind: 'task', taskId: arn[1] };
  const [prefix, ...rest] = text.split('/');
  const name = rest.join('/');
  if (prefix === 'service' && name) return { kind: 'service', serviceName: name };
  if (prefix === 'family' && name) return { kind: 'family', family: name };
  if (prefix === 'task' && name) return { kind: 'task', taskId: name };
  if (/^[A-Za-z0-9-]+$/.test(text)) return { kind: 'task', taskId: text };
  throw new Error(
    `"${text}" is not a target: give a task id, task/<id>, service/<name> or family/<name>.`,
  );
}

export function describeSpec(spec: TargetSpec): string {
  if (spec.kind === 'task') return `task ${spec.taskId}`;
  if (spec.kind === 'service') return `service ${spec.serviceName}`;
  return `task family ${spec.family}`;
}

export async function resolveTarget(
  ecs: ECSClient,
  cluster: string,
  spec: TargetSpec,
  containerName: string | undefined,
): Promise<ResolvedTarget> {
  const task = await findTask(ecs, cluster, spec);
  const taskArn = task.taskArn ?? '';
  const taskId = taskArn.split('/').pop() ?? '';
  const clusterName = (task.clusterArn ?? cluster).split('/').pop() ?? cluster;

  checkTaskState(task, taskId);
  const container = pickContainer(task, taskId, containerName);
  const name = container.name ?? '';
  checkAgent(container, taskId);
  const runtimeId = container.runtimeId;
  if (!runtimeId) {
    throw new ResolveError(
      'NO_RUNTIME_ID',
      `Container "${name}" of task ${taskId} has no runtime id yet; it is still starting. ` +
        `Try again in a few seconds.`,
    );
  }
  const ssmTarget = `ecs:${clusterName}_${taskId}_${runtimeId}`;
  return { clusterName, taskArn, taskId, containerName: name, runtimeId, ssmTarget, task };
}

/** The task a target names, or the newest running task of its service or family. */
export async function findTask(ecs: ECSClient, cluster: string, spec: TargetSpec): Promise<Task> {
  const taskRef = spec.kind === 'task' ? spec.taskId : await followToTask(ecs, cluster, spec);
  const reply = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskRef] }));
  const task = reply.tasks?.[0];
  if (!task) {
    throw new ResolveError(
      'TASK_NOT_FOUND',
      `Task ${taskRef} was not found in cluster "${cluster}"; it may have stopped long ago. ` +
        `Pick a running task.`,
    );
  }
  return task;
}

async function followToTask(ecs: ECSClient, cluster: string, spec: TargetSpec): Promise<string> {
  const filter =
    spec.kind === 'service'
      ? { serviceName: spec.serviceName }
      : { family: (spec as { family: string }).family };
  const reply = await ecs
    .send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING', maxResults: 100, ...filter }))
    .catch((error: Error) => {
      if (error.name !== 'ServiceNotFoundException') throw error;
      throw new ResolveError(
        'SERVICE_NOT_FOUND',
        `Service "${filter.serviceName}" is not in cluster "${cluster}".`,
      );
    });
  const arns = reply.taskArns ?? [];
  if (arns.length === 0) {
    throw new ResolveError(
      'NO_RUNNING_TASK',
      `${capitalize(describeSpec(spec))} has no running task in cluster "${cluster}".`,
    );
  }
  if (arns.length === 1) return arns[0];
  return newestRunning(ecs, cluster, arns);
}

/** Several tasks: prefer RUNNING ones with ECS Exec on, newest first. */
async function newestRunning(ecs: ECSClient, cluster: string, arns: string[]): Promise<string> {
  const reply = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }));
  const tasks = (reply.tasks ?? []).slice().sort((a, b) => score(b) - score(a));
  return tasks[0]?.taskArn ?? arns[0];
}

function score(task: Task): number {
  const started = task.startedAt ? new Date(task.startedAt).getTime() / 1e13 : 0;
  return (task.lastStatus === 'RUNNING' ? 2 : 0) + (task.enableExecuteCommand ? 1 : 0) + started;
}

function checkTaskState(task: Task, taskId: string): void {
  if (task.lastStatus !== 'RUNNING') {
    const reason = task.stoppedReason ? ` (${task.stoppedReason})` : '';
    throw new ResolveError(
      'TASK_NOT_RUNNING',
      `Task ${taskId} is ${task.lastStatus ?? 'in an unknown state'}${reason}, not RUNNING; ` +
        `connect to a running task or follow its service.`,
    );
  }
  if (!task.enableExecuteCommand) {
    throw new ResolveError(
      'EXEC_DISABLED',
      `ECS Exec is off on task ${taskId}: the flag is fixed when a task starts. Enable ` +
        `execute command on its service and force a new deployment (or run the task with ` +
        `--enable-execute-command).`,
    );
  }
}

/** The container named `wanted`, or the task's only one when no name is given. */
export function findContainer(task: Task, wanted: string | undefined): Container | undefined {
  const containers = task.containers ?? [];
  if (wanted) return containers.find((c) => c.name === wanted);
  return containers.length === 1 ? containers[0] : undefined;
}

function pickContainer(task: Task, taskId: string, wanted: string | undefined): Container {
  const found = findContainer(task, wanted);
  if (found) return found;
  const names = (task.containers ?? []).map((c) => c.name).join(', ');
  const what = wanted ? `has no container "${wanted}"` : 'has several containers';
  throw new ResolveError(
    'CONTAINER_NOT_FOUND',
    `Task ${taskId} ${what}; choose one of them with --container: ${names || 'none'}.`,
  );
}

function checkAgent(container: Container, taskId: string): void {
  const agent = (container.managedAgents ?? []).find((a) => a.name === 'ExecuteCommandAgent');
  if (agent?.lastStatus === 'RUNNING') return;
  const status = agent?.lastStatus ?? 'missing';
  const reason = agent?.reason ? ` (${agent.reason})` : '';
  throw new ResolveError(
    'AGENT_NOT_RUNNING',
    `The ECS Exec agent in container "${container.name}" of task ${taskId} is ` +
      `${status}${reason}, not RUNNING. ` +
      (status === 'PENDING'
        ? 'It is still starting; try again in a few seconds.'
        : 'Check the task role allows the ssmmessages actions and that no AWS keys in the ' +
          'container environment override it.'),
  );
}

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

// Every check that needs only what ECS already said about a task: DescribeTasks, and when known
// its task definition, service and container instance. Synchronous and cheap, so the editor can
// run it for each task row it draws.

import type {
  ContainerDefinition,
  ContainerInstance,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

import type { CheckResult } from './checkResult.js';
import { checkAgent, checkPidMode, checkRuntimeId, pickContainer } from './containerChecks.js';
import {
  checkEnvironmentKeys,
  checkInitProcess,
  checkReadonlyRoot,
  checkTaskRole,
  definitionsFor,
} from './definitionChecks.js';
import { skip } from './result.js';
import {
  checkEcsAgentVersion,
  checkExecEnabled,
  checkFargatePlatform,
  checkTaskRunning,
} from './taskChecks.js';

export interface TaskCheckContext {
  /** The container a connection goes to; when absent, the task's only container, or all. */
  container?: string;
  /** The service that started the task (its `enableExecuteCommand` explains EXEC_DISABLED). */
  service?: Service;
  /** The task's EC2 container instance (its agent version). */
  containerInstance?: ContainerInstance;
  /** Check as a connection would: a task with several containers needs one named. */
  connecting?: boolean;
}

/**
 * All task-level checks, in the order a connection meets them. With several containers and none
 * named, the container checks look at each container and pass when one of them can be reached.
 */
export function checkTask(
  task: Task,
  taskDefinition?: TaskDefinition,
  context: TaskCheckContext = {},
): CheckResult[] {
  const taskLevel = [
    checkTaskRunning(task),
    checkExecEnabled(task, context.service),
    checkFargatePlatform(task),
    checkEcsAgentVersion(task, context.containerInstance),
  ];
  const blocked = taskLevel.slice(0, 2).find((r) => r.outcome === 'fail');
  const results = [
    ...taskLevel,
    ...(blocked
      ? [skip('AGENT_STOPPED', 'ECS Exec agent', `Not checked: ${blocked.message}`)]
      : containerResults(task, taskDefinition, context)),
  ];
  const definitions = definitionsFor(taskDefinition, pickedName(task, context.container));
  return [...results, ...definitionResults(taskDefinition, definitions)];
}

function definitionResults(
  taskDefinition: TaskDefinition | undefined,
  definitions: ContainerDefinition[],
): CheckResult[] {
  if (!taskDefinition) {
    const notRead = 'The task definition was not read.';
    return [
      skip('NO_TASK_ROLE', 'Task role', notRead),
      skip('AWS_KEYS_IN_ENVIRONMENT', 'AWS keys in the environment', notRead),
      skip('READONLY_ROOT_FILESYSTEM', 'Root file system', notRead),
      skip('INIT_PROCESS_OFF', 'Init process', notRead),
    ];
  }
  return [
    checkTaskRole(taskDefinition),
    checkEnvironmentKeys(definitions),
    checkReadonlyRoot(definitions),
    checkInitProcess(definitions),
  ];
}

function containerResults(
  task: Task,
  definition: TaskDefinition | undefined,
  { container: wanted, connecting }: TaskCheckContext,
): CheckResult[] {
  const several = !wanted && !connecting && (task.containers ?? []).length > 1;
  if (several) return anyContainerResults(task, definition);
  const picked = pickContainer(task, wanted);
  if ('outcome' in picked) return [picked];
  const onEc2 = task.launchType === 'EC2' || task.launchType === 'EXTERNAL';
  return [
    checkPidMode(task, definition, picked),
    checkAgent(picked, onEc2),
    checkRuntimeId(picked),
  ];
}

/** For a task row: fine when any container's agent runs; otherwise the first container's problem. */
function anyContainerResults(task: Task, definition: TaskDefinition | undefined): CheckResult[] {
  const containers = task.containers ?? [];
  const onEc2 = task.launchType === 'EC2' || task.launchType === 'EXTERNAL';
  const perContainer = containers.map((c) => [checkAgent(c, onEc2), checkRuntimeId(c)]);
  const reachable = perContainer.find((pair) => pair.every((r) => r.outcome === 'pass'));
  return [checkPidMode(task, definition, undefined), ...(reachable ?? perContainer[0] ?? [])];
}

function pickedName(task: Task, wanted: string | undefined): string | undefined {
  if (wanted) return wanted;
  const containers = task.containers ?? [];
  return containers.length === 1 ? containers[0].name : undefined;
}

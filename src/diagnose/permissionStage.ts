// The checks that ask IAM's policy simulator, run side by side: the task role's ssmmessages
// actions, its session-logging permissions, and the caller's ssm:StartSession.

import type { Cluster, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { IAMClient } from '@aws-sdk/client-iam';

import type { CheckResult } from './checkResult.js';
import { checkSessionLogging, loggingNeeds } from './clusterChecks.js';
import type { Caller } from './credentialChecks.js';
import { SSMMESSAGES_ACTIONS } from './definitionChecks.js';
import {
  checkCallerPermissions,
  checkTaskRolePermissions,
  startSessionResources,
  type SessionResources,
} from './permissionChecks.js';
import { skip } from './result.js';
import { directSimulator, type Simulator } from './simulation.js';

export interface PermissionContext {
  iam: IAMClient;
  cluster: Cluster;
  task: Task;
  taskDefinition?: TaskDefinition;
  caller?: Caller;
  region: string;
  /** Default: IAM asked directly each time. */
  simulator?: Simulator;
}

export async function permissionResults(context: PermissionContext): Promise<CheckResult[]> {
  const simulator = context.simulator ?? directSimulator(context.iam);
  return Promise.all([
    taskRoleResult(context, simulator),
    loggingResult(context, simulator),
    callerResult(context, simulator),
  ]);
}

async function taskRoleResult(
  { taskDefinition }: PermissionContext,
  simulator: Simulator,
): Promise<CheckResult> {
  const role = taskDefinition?.taskRoleArn;
  if (!role) {
    const why = taskDefinition ? 'The task has no task role.' : 'The task definition was not read.';
    return skip('TASK_ROLE_MISSING_SSMMESSAGES', 'Task role permissions', why);
  }
  return checkTaskRolePermissions(await simulator.simulate(role, SSMMESSAGES_ACTIONS));
}

async function loggingResult(
  context: PermissionContext,
  simulator: Simulator,
): Promise<CheckResult> {
  const { cluster, task, taskDefinition, region } = context;
  const needs = loggingNeeds(cluster, region, accountOf(task));
  const role = taskDefinition?.taskRoleArn;
  if (!needs || !role) return checkSessionLogging(cluster, needs, undefined);
  return checkSessionLogging(
    cluster,
    needs,
    await simulator.simulate(role, needs.actions, needs.resources),
  );
}

async function callerResult(
  context: PermissionContext,
  simulator: Simulator,
): Promise<CheckResult> {
  const { cluster, task, caller, region } = context;
  if (!caller) {
    return skip(
      'START_SESSION_DENIED',
      'Your permission to start sessions',
      'The caller is not known.',
    );
  }
  const resources: SessionResources = {
    region,
    account: accountOf(task),
    cluster: cluster.clusterName ?? '',
    taskArn: task.taskArn ?? '',
  };
  const principal = await simulator.principalForCaller(caller.arn);
  const [start, execute] = await Promise.all([
    simulator.simulate(principal, ['ssm:StartSession'], startSessionResources(resources)),
    simulator.simulate(principal, ['ecs:ExecuteCommand'], [resources.taskArn]),
  ]);
  return checkCallerPermissions(start, execute, resources);
}

function accountOf(task: Task): string {
  return (task.taskArn ?? '').split(':')[4] ?? '';
}

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
} from './permissionChecks.js';
import { finding, skip } from './result.js';
import { directSimulator, forResources, type Simulation, type Simulator } from './simulation.js';

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
  const [role, logging, callers] = await Promise.all([
    taskRoleResult(context, simulator),
    loggingResult(context, simulator),
    callerResults({ ...context, tasks: [context.task] }, simulator),
  ]);
  return [role, logging, callers[0]];
}

export async function taskRoleResult(
  { taskDefinition }: Pick<PermissionContext, 'taskDefinition'>,
  simulator: Simulator,
): Promise<CheckResult> {
  const role = taskDefinition?.taskRoleArn;
  if (!role) {
    const why = taskDefinition ? 'The task has no task role.' : 'The task definition was not read.';
    return skip('TASK_ROLE_MISSING_SSMMESSAGES', 'Task role permissions', why);
  }
  return checkTaskRolePermissions(await simulator.simulate(role, SSMMESSAGES_ACTIONS));
}

export async function loggingResult(
  context: Omit<PermissionContext, 'iam'>,
  simulator: Simulator,
): Promise<CheckResult> {
  const { cluster, task, taskDefinition, region } = context;
  const needs = loggingNeeds(cluster, region, accountOf(task));
  const role = taskDefinition?.taskRoleArn;
  if (needs.length === 0 || !role) return checkSessionLogging(cluster, needs, undefined);
  const simulations = await Promise.all(
    needs.map(async (need) =>
      combined(
        await Promise.all(
          need.grants.map((grant) => simulator.simulate(role, grant.actions, grant.resources)),
        ),
      ),
    ),
  );
  return checkSessionLogging(cluster, needs, simulations);
}

/** Several answers about one principal as one: unchecked if any was, else every denial. */
function combined(simulations: Simulation[]): Simulation {
  const unchecked = simulations.find((s) => s.status === 'unchecked');
  if (unchecked) return unchecked;
  const denied = simulations.flatMap((s) => (s.status === 'checked' ? s.denied : []));
  return { status: 'checked', principal: simulations[0].principal, denied };
}

export interface CallerContext {
  cluster: Cluster;
  /** Tasks of that cluster: all are simulated in the same two calls. */
  tasks: Task[];
  caller?: Caller;
  region: string;
}

/** Your permission to start sessions, for each task in order: two simulations for all tasks. */
export async function callerResults(
  context: CallerContext,
  simulator: Simulator,
): Promise<CheckResult[]> {
  const { cluster, tasks, caller, region } = context;
  if (!caller) {
    const unknown = finding(
      'unknown',
      'START_SESSION_DENIED',
      'Your permission to start sessions',
      'Could not check whether you may start sessions: STS did not say who you are.',
      'Check the network path to STS (sts:GetCallerIdentity needs no permission), then try again.',
    );
    return tasks.map(() => unknown);
  }
  const each = tasks.map((task) => ({
    region,
    account: accountOf(task),
    cluster: cluster.clusterName ?? '',
    taskArn: task.taskArn ?? '',
  }));
  const principal = await simulator.principalForCaller(caller.arn);
  const everyStart = [...new Set(each.flatMap(startSessionResources))];
  const [start, execute] = await Promise.all([
    simulator.simulate(principal, ['ssm:StartSession'], everyStart),
    simulator.simulate(
      principal,
      ['ecs:ExecuteCommand'],
      each.map((r) => r.taskArn),
    ),
  ]);
  return each.map((resources) =>
    checkCallerPermissions(
      forResources(start, startSessionResources(resources)),
      forResources(execute, [resources.taskArn]),
      resources,
    ),
  );
}

function accountOf(task: Task): string {
  return (task.taskArn ?? '').split(':')[4] ?? '';
}

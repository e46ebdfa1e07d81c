// Checks on the task itself: is it running, was it started with ECS Exec, does its platform
// (Fargate platform version, or the ECS container agent on its EC2 instance) support ECS Exec.

import type { ContainerInstance, Service, Task } from '@aws-sdk/client-ecs';

import type { CheckResult } from './checkResult.js';
import { compareVersions, finding, pass, skip, taskIdOf } from './result.js';

export const MIN_FARGATE_PLATFORM = '1.4.0';
export const MIN_ECS_AGENT = '1.50.2';

export function checkTaskRunning(task: Task): CheckResult {
  const title = 'Task state';
  const id = taskIdOf(task.taskArn);
  if (task.lastStatus === 'RUNNING')
    return pass('TASK_NOT_RUNNING', title, `Task "${id}" is RUNNING.`);
  const reason = task.stoppedReason ? ` (${task.stoppedReason})` : '';
  const service = serviceOf(task);
  return finding(
    'fail',
    'TASK_NOT_RUNNING',
    title,
    `Task "${id}" is ${task.lastStatus ?? 'in an unknown state'}${reason}, not RUNNING.`,
    service
      ? `Connect to service/${service} so that its current task is followed.`
      : 'Connect to a running task.',
  );
}

/** ECS Exec is a property of the task, fixed when it starts; the service only sets it for new tasks. */
export function checkExecEnabled(task: Task, service?: Service): CheckResult {
  const title = 'ECS Exec on the task';
  const id = taskIdOf(task.taskArn);
  if (task.enableExecuteCommand)
    return pass('EXEC_DISABLED', title, `Task "${id}" has ECS Exec on.`);
  const cluster = (task.clusterArn ?? '').split('/').pop() ?? '';
  const serviceName = serviceOf(task);
  if (!serviceName) {
    return finding(
      'fail',
      'EXEC_DISABLED',
      title,
      `ECS Exec is off on task "${id}": the flag is fixed when a task starts.`,
      'Run the task again with ECS Exec on (--enable-execute-command).',
    );
  }
  const why =
    service === undefined
      ? ': the flag is fixed when a task starts'
      : service.enableExecuteCommand
        ? `; service "${serviceName}" has it on, but this task started before that change`
        : `: the flag is fixed when a task starts, and service "${serviceName}" has it off`;
  return finding(
    'fail',
    'EXEC_DISABLED',
    title,
    `ECS Exec is off on task "${id}"${why}.`,
    `Enable ECS Exec on service "${serviceName}" and redeploy it (UpdateService with ` +
      'enableExecuteCommand and forceNewDeployment): its tasks are replaced by ones with ECS ' +
      'Exec on.',
    { kind: 'enableExecAndRedeploy', cluster, service: serviceName },
  );
}

export function checkFargatePlatform(task: Task): CheckResult {
  const title = 'Fargate platform version';
  if (task.launchType !== 'FARGATE') {
    return skip('FARGATE_PLATFORM_TOO_OLD', title, 'The task does not run on Fargate.');
  }
  const version = task.platformVersion ?? '';
  const order = compareVersions(version, MIN_FARGATE_PLATFORM);
  if (order === undefined) {
    return skip(
      'FARGATE_PLATFORM_TOO_OLD',
      title,
      `Platform version "${version}" is not a number.`,
    );
  }
  if (order >= 0) {
    return pass('FARGATE_PLATFORM_TOO_OLD', title, `The task runs on Fargate platform ${version}.`);
  }
  const service = serviceOf(task);
  return finding(
    'fail',
    'FARGATE_PLATFORM_TOO_OLD',
    title,
    `Task "${taskIdOf(task.taskArn)}" runs on Fargate platform version ${version}; ECS Exec ` +
      `needs ${MIN_FARGATE_PLATFORM} or later.`,
    service
      ? `Set the platform version of service "${service}" to LATEST (or ` +
          `${MIN_FARGATE_PLATFORM}) and redeploy it.`
      : `Run the task again with platform version LATEST (or ${MIN_FARGATE_PLATFORM}).`,
  );
}

/** `containerInstance` is the DescribeContainerInstances entry of the task's EC2 instance. */
export function checkEcsAgentVersion(
  task: Task,
  containerInstance?: ContainerInstance,
): CheckResult {
  const title = 'ECS container agent version';
  if (task.launchType === 'FARGATE' || !task.containerInstanceArn) {
    return skip('ECS_AGENT_TOO_OLD', title, 'The task does not run on an EC2 container instance.');
  }
  const version = containerInstance?.versionInfo?.agentVersion;
  if (!version) {
    return skip('ECS_AGENT_TOO_OLD', title, 'The version of its container agent was not read.');
  }
  const instance = containerInstance?.ec2InstanceId ?? taskIdOf(task.containerInstanceArn);
  const order = compareVersions(version, MIN_ECS_AGENT);
  if (order === undefined || order >= 0) {
    return pass(
      'ECS_AGENT_TOO_OLD',
      title,
      `Instance "${instance}" runs container agent ${version}.`,
    );
  }
  return finding(
    'fail',
    'ECS_AGENT_TOO_OLD',
    title,
    `The ECS container agent on instance "${instance}" is version ${version}; ECS Exec needs ` +
      `${MIN_ECS_AGENT} or later.`,
    'Update the container agent on that instance (or replace the instance with a current ' +
      'ECS-optimized AMI), then start a new task.',
  );
}

/** The service that started the task, from its `group` ("service:<name>"). */
export function serviceOf(task: Task): string | undefined {
  const group = task.group ?? '';
  return group.startsWith('service:') ? group.slice('service:'.length) : undefined;
}

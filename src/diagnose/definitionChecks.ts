// Checks on the task definition: the task role the ECS Exec agent signs with, AWS keys in a
// container's environment that take its place, a read-only root file system, and the init
// process that reaps sshd's children. Values of environment variables are never read out.

import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';

import type { CheckResult } from './checkResult.js';
import { finding, pass, quotedList, skip } from './result.js';

export const SSMMESSAGES_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

const KEY_ID_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY'];
const SECRET_NAMES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY'];

const NOT_READ = 'The task definition was not read.';

export function definitionName(definition: TaskDefinition): string {
  return `${definition.family}:${definition.revision}`;
}

export function checkTaskRole(definition: TaskDefinition | undefined): CheckResult {
  const title = 'Task role';
  if (!definition) return skip('NO_TASK_ROLE', title, NOT_READ);
  if (definition.taskRoleArn) {
    return pass('NO_TASK_ROLE', title, `The task role is "${definition.taskRoleArn}".`);
  }
  const execution = definition.executionRoleArn ? ' (the execution role does not count)' : '';
  return finding(
    'fail',
    'NO_TASK_ROLE',
    title,
    `Task definition "${definitionName(definition)}" has no task role, and the ECS Exec agent ` +
      `signs its calls with the task role${execution}.`,
    `Give the task definition a taskRoleArn whose policy allows ` +
      `${SSMMESSAGES_ACTIONS.join(', ')}, then redeploy.`,
  );
}

export function checkEnvironmentKeys(containers: ContainerDefinition[]): CheckResult {
  const title = 'AWS keys in the environment';
  const offenders = containers
    .map((c) => ({ name: c.name ?? '', variables: keyVariables(c) }))
    .filter((c) => c.variables.length > 0);
  if (offenders.length === 0) {
    return pass('AWS_KEYS_IN_ENVIRONMENT', title, 'No container sets AWS keys in its environment.');
  }
  const first = offenders[0];
  return finding(
    'warn',
    'AWS_KEYS_IN_ENVIRONMENT',
    title,
    `Container "${first.name}" sets ${first.variables.join(' and ')} in its environment, and ` +
      'the ECS Exec agent then signs with those keys instead of the task role.',
    'Rename those variables (the AWS SDK reads only these names), or allow the four ' +
      'ssmmessages actions for that key.',
  );
}

export function checkReadonlyRoot(containers: ContainerDefinition[]): CheckResult {
  const title = 'Root file system';
  const readonly = containers.filter((c) => c.readonlyRootFilesystem === true);
  if (readonly.length === 0) {
    return pass('READONLY_ROOT_FILESYSTEM', title, 'The root file system is writable.');
  }
  return finding(
    'warn',
    'READONLY_ROOT_FILESYSTEM',
    title,
    `Container ${quotedList(readonly.map((c) => c.name ?? ''))} has a read-only root file ` +
      'system: the ECS Exec agent needs /managed-agents, /var/lib/amazon/ssm and ' +
      '/var/log/amazon/ssm writable, and sshd cannot be installed.',
    'Turn readonlyRootFilesystem off for development tasks, or bake openssh-server into the ' +
      'image and mount writable volumes at the three agent paths and at /tmp.',
  );
}

export function checkInitProcess(containers: ContainerDefinition[]): CheckResult {
  const title = 'Init process';
  const without = containers.filter((c) => c.linuxParameters?.initProcessEnabled !== true);
  if (without.length === 0) {
    return pass('INIT_PROCESS_OFF', title, 'An init process reaps exited processes.');
  }
  return finding(
    'warn',
    'INIT_PROCESS_OFF',
    title,
    `${without.length === 1 ? 'Container' : 'Containers'} ` +
      `${quotedList(without.map((c) => c.name ?? ''))} ` +
      `${without.length === 1 ? 'runs' : 'run'} without an init process, ` +
      "so sshd's and the agent's exited children are never reaped and pile up as zombies.",
    'Set "linuxParameters": {"initProcessEnabled": true} in the container definition, register ' +
      'the new revision and redeploy.',
  );
}

/** The definitions of the named container, or of all containers when none is named. */
export function definitionsFor(
  definition: TaskDefinition | undefined,
  containerName: string | undefined,
): ContainerDefinition[] {
  const all = definition?.containerDefinitions ?? [];
  return containerName ? all.filter((c) => c.name === containerName) : all;
}

function keyVariables(container: ContainerDefinition): string[] {
  const names = new Set([
    ...(container.environment ?? []).map((v) => v.name ?? ''),
    ...(container.secrets ?? []).map((v) => v.name ?? ''),
  ]);
  const keyId = KEY_ID_NAMES.find((n) => names.has(n));
  const secret = SECRET_NAMES.find((n) => names.has(n));
  return keyId && secret ? [keyId, secret] : [];
}

/**
 * Values the task definition sets for variables named like credentials (AWS_*, *SECRET*,
 * *TOKEN*, *PASSWORD*, *KEY*): never shown, so the runner scrubs them from what a container
 * prints back.
 */
export function secretValues(definition: TaskDefinition | undefined): string[] {
  const named = /^AWS_|SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL/i;
  return (definition?.containerDefinitions ?? []).flatMap((container) =>
    (container.environment ?? [])
      .filter((v) => named.test(v.name ?? '') && (v.value ?? '').length >= 8)
      .map((v) => v.value as string),
  );
}

// Whether the ECS Exec agent in a container can register with Session Manager, as in AWS: it
// needs a network path to Session Manager (`agentConnected`), Fargate platform 1.4.0 or later
// or an ECS agent 1.50.2 or later on its EC2 instance, and, in a world with IAM (world.iam), a
// task role that allows the four ssmmessages actions and no AWS keys in the container's
// environment to take that role's place. A container whose agent cannot register stays a
// target that is not connected: StartSession says TargetNotConnected while ECS still reports
// the agent RUNNING.

import { decide } from '../iam/policy.js';
import type { World } from '../world.js';
import type { ContainerState, TaskState } from './model.js';
import type { EcsState } from './state.js';

const SSMMESSAGES = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

/** Why the agent cannot register, or undefined when it can. */
export function agentProblem(
  state: EcsState,
  world: World,
  task: TaskState,
  container: ContainerState,
): string | undefined {
  if (container.spec.agentConnected === false) return 'no network path to Session Manager';
  return (
    platformProblem(state, task) ??
    (world.iam ? roleProblem(state, world, task, container) : undefined)
  );
}

function platformProblem(state: EcsState, task: TaskState): string | undefined {
  const { spec } = task;
  if ((spec.launchType ?? 'FARGATE') === 'FARGATE') {
    return older(spec.platformVersion ?? '1.4.0', '1.4.0')
      ? 'Fargate platform below 1.4.0'
      : undefined;
  }
  const instances = state.cluster(task.cluster)?.containerInstances ?? [];
  const instance = instances.find((i) => i.id === spec.containerInstance);
  return older(instance?.agentVersion ?? '1.87.0', '1.50.2') ? 'ECS agent below 1.50.2' : undefined;
}

function roleProblem(
  state: EcsState,
  world: World,
  task: TaskState,
  container: ContainerState,
): string | undefined {
  const definition = state.taskDefinition(task.spec.taskDefinition);
  if (!definition) return undefined;
  const role = definition.taskRoleArn;
  if (!role) return 'no task role';
  const own = definition.containerDefinitions.find((c) => c.name === container.spec.name);
  const names = [...(own?.environment ?? []), ...(own?.secrets ?? [])].map((v) => v.name);
  if (names.includes('AWS_ACCESS_KEY_ID') && names.includes('AWS_SECRET_ACCESS_KEY')) {
    return 'AWS keys in the environment';
  }
  const denied = SSMMESSAGES.filter((action) => decide(world.iam, role, action, '*') !== 'allowed');
  return denied.length > 0 ? `task role may not ${denied.join(', ')}` : undefined;
}

function older(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

// The ECS JSON API subset (awsJson1_1, X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>),
// with AWS's paging (nextToken, maxResults), its limits (100 tasks per DescribeTasks, 10
// services per DescribeServices) and its error shapes (`__type`, lower-case `message`).

import { ApiError } from '../api-error.js';
import { isExecReachable, ssmTargetOf } from './model.js';
import type { EcsState } from './state.js';
import {
  renderCluster,
  renderContainerInstance,
  renderService,
  renderTask,
  renderTaskDefinition,
} from './render.js';

type Input = Record<string, unknown>;

export interface EcsContext {
  state: EcsState;
  /** Opens a Session Manager session on a target for ExecuteCommand. */
  startExecSession(target: string, command: string): object;
}

export type EcsOperation = (input: Input, context: EcsContext) => object;

export class EcsError extends ApiError {
  override readonly messageKey = 'message';
}

export const ecsOperations: Record<string, EcsOperation> = {
  ListClusters: (input, { state }) =>
    page(
      input,
      [...state.clusters.keys()].map((name) => state.arn('cluster', name)),
      100,
      'clusterArns',
    ),

  DescribeClusters: (input, { state }) => {
    const names = strings(input.clusters, ['default']);
    const include = strings(input.include, []);
    const found = names.map((name) => state.cluster(name));
    return {
      clusters: found.filter((c) => c !== undefined).map((c) => renderCluster(state, c, include)),
      failures: names
        .filter((_n, i) => found[i] === undefined)
        .map((name) => ({ arn: state.arn('cluster', name), reason: 'MISSING' })),
    };
  },

  ListServices: (input, { state }) => {
    const cluster = requireCluster(state, input.cluster);
    const arns = (cluster.services ?? []).map((s) =>
      state.arn('service', `${cluster.name}/${s.name}`),
    );
    return page(input, arns, 10, 'serviceArns');
  },

  DescribeServices: (input, { state }) => {
    const cluster = requireCluster(state, input.cluster);
    const names = strings(input.services, []);
    if (names.length === 0 || names.length > 10) {
      throw new EcsError(
        'InvalidParameterException',
        'services can have at most 10 items and at least 1.',
      );
    }
    const found = names.map((name) => state.service(cluster.name, name));
    return {
      services: found
        .filter((s) => s !== undefined)
        .map((s) => renderService(state, cluster.name, s)),
      failures: names.filter((_n, i) => !found[i]).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  },

  ListTasks: (input, { state }) => {
    const cluster = requireCluster(state, input.cluster);
    const serviceName = optionalString(input.serviceName);
    if (serviceName && !state.service(cluster.name, serviceName)) {
      throw new EcsError('ServiceNotFoundException', 'Service not found.');
    }
    const desired = optionalString(input.desiredStatus) ?? 'RUNNING';
    const family = optionalString(input.family);
    const startedBy = optionalString(input.startedBy);
    const arns = state
      .tasksOf(cluster.name)
      .filter((t) => (t.spec.desiredStatus ?? t.spec.lastStatus ?? 'RUNNING') === desired)
      .filter((t) => !serviceName || t.spec.service === serviceName.split('/').pop())
      .filter((t) => !family || t.spec.taskDefinition.split(':')[0] === family)
      .filter((t) => !startedBy || startedByOf(t.spec) === startedBy)
      .map((t) => state.arn('task', `${cluster.name}/${t.id}`));
    return page(input, arns, 100, 'taskArns');
  },

  DescribeTasks: (input, { state }) => {
    const cluster = requireCluster(state, input.cluster);
    const refs = strings(input.tasks, []);
    if (refs.length === 0 || refs.length > 100) {
      throw new EcsError(
        'InvalidParameterException',
        'Tasks cannot be empty and can have at most 100 items.',
      );
    }
    const found = refs.map((ref) => state.findTask(cluster.name, ref));
    return {
      tasks: found.filter((t) => t !== undefined).map((t) => renderTask(state, t)),
      failures: refs.filter((_r, i) => !found[i]).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  },

  DescribeContainerInstances: (input, { state }) => {
    const cluster = requireCluster(state, input.cluster);
    const refs = strings(input.containerInstances, []);
    if (refs.length === 0 || refs.length > 100) {
      throw new EcsError(
        'InvalidParameterException',
        'containerInstances can have at most 100 items and at least 1.',
      );
    }
    const instances = cluster.containerInstances ?? [];
    const found = refs.map((ref) => instances.find((i) => i.id === ref.split('/').pop()));
    return {
      containerInstances: found
        .filter((i) => i !== undefined)
        .map((i) => renderContainerInstance(state, cluster.name, i)),
      failures: refs.filter((_r, i) => !found[i]).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  },

  DescribeTaskDefinition: (input, { state }) => {
    const definition = state.taskDefinition(String(input.taskDefinition ?? ''));
    if (!definition) throw new EcsError('ClientException', 'Unable to describe task definition.');
    return { taskDefinition: renderTaskDefinition(state, definition) };
  },

  UpdateService: (input, { state }) => {
    const cluster = requireCluster(state, input.cluster);
    const service = state.service(cluster.name, String(input.service ?? ''));
    if (!service) throw new EcsError('ServiceNotFoundException', 'Service not found.');
    if (typeof input.enableExecuteCommand === 'boolean') {
      service.enableExecuteCommand = input.enableExecuteCommand;
    }
    if (input.forceNewDeployment === true) state.replaceServiceTask(cluster.name, service.name);
    return { service: renderService(state, cluster.name, service) };
  },

  ExecuteCommand: (input, context) => {
    const { state } = context;
    const cluster = requireCluster(state, input.cluster);
    const task = state.findTask(cluster.name, String(input.task ?? ''));
    if (!task) throw new EcsError('InvalidParameterException', 'The specified task was not found.');
    const name = optionalString(input.container) ?? task.containers[0]?.spec.name;
    const container = task.containers.find((c) => c.spec.name === name);
    if (!container || !isExecReachable(task, container)) {
      throw new EcsError(
        'InvalidParameterException',
        'The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.',
      );
    }
    return {
      clusterArn: state.arn('cluster', cluster.name),
      containerArn: state.arn('container', `${cluster.name}/${task.id}/${name}`),
      containerName: name,
      interactive: true,
      taskArn: state.arn('task', `${cluster.name}/${task.id}`),
      session: context.startExecSession(
        ssmTargetOf(task, container),
        String(input.command ?? 'sh'),
      ),
    };
  },
};

function requireCluster(state: EcsState, value: unknown) {
  const cluster = state.cluster(optionalString(value));
  if (!cluster) throw new EcsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

function startedByOf(spec: { service?: string; startedBy?: string }): string | undefined {
  return spec.startedBy ?? (spec.service ? `ecs-svc/${spec.service}` : undefined);
}

/** One page of `items` under `key`, with an opaque nextToken when more remain. */
function page(input: Input, items: string[], defaultMax: number, key: string): object {
  const max = input.maxResults === undefined ? defaultMax : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw new EcsError('InvalidParameterException', 'maxResults must be between 1 and 100.');
  }
  const start = input.nextToken === undefined ? 0 : decodeToken(input.nextToken);
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? encodeToken(start + max) : undefined;
  return next ? { [key]: slice, nextToken: next } : { [key]: slice };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: unknown): number {
  try {
    const offset = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')).offset;
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new EcsError('InvalidParameterException', 'Invalid nextToken.');
}

function strings(value: unknown, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new EcsError('InvalidParameterException', 'Expected a list of strings.');
  }
  return value;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// ECS objects as the API sends them: ARNs, epoch-second timestamps, and optional members left
// out when the world does not set them (shared/docs/aws-api-fields.md).

import type {
  ClusterSpec,
  ContainerInstanceSpec,
  ContainerState,
  ServiceSpec,
  TaskDefinitionSpec,
  TaskState,
} from './model.js';
import type { EcsState } from './state.js';

/** `configuration` appears only when asked for with include CONFIGURATIONS, as in AWS. */
export function renderCluster(
  state: EcsState,
  cluster: ClusterSpec,
  include: string[] = [],
): object {
  const tasks = state.tasksOf(cluster.name);
  return {
    clusterArn: state.arn('cluster', cluster.name),
    clusterName: cluster.name,
    status: cluster.status ?? 'ACTIVE',
    runningTasksCount: tasks.filter((t) => (t.spec.lastStatus ?? 'RUNNING') === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.spec.lastStatus === 'PENDING').length,
    activeServicesCount: (cluster.services ?? []).length,
    ...(cluster.executeCommandConfiguration &&
      include.includes('CONFIGURATIONS') && {
        configuration: { executeCommandConfiguration: cluster.executeCommandConfiguration },
      }),
  };
}

export function renderService(state: EcsState, cluster: string, service: ServiceSpec): object {
  const running = state
    .tasksOf(cluster)
    .filter(
      (t) => t.spec.service === service.name && (t.spec.lastStatus ?? 'RUNNING') === 'RUNNING',
    );
  return {
    serviceArn: state.arn('service', `${cluster}/${service.name}`),
    serviceName: service.name,
    clusterArn: state.arn('cluster', cluster),
    status: 'ACTIVE',
    desiredCount: service.desiredCount ?? 1,
    runningCount: running.length,
    pendingCount: 0,
    launchType: service.launchType ?? 'FARGATE',
    taskDefinition: state.arn('task-definition', service.taskDefinition),
    enableExecuteCommand: service.enableExecuteCommand ?? false,
  };
}

export function renderTask(state: EcsState, task: TaskState): object {
  const { spec } = task;
  const taskArn = state.arn('task', `${task.cluster}/${task.id}`);
  const launchType = spec.launchType ?? 'FARGATE';
  return {
    taskArn,
    clusterArn: state.arn('cluster', task.cluster),
    taskDefinitionArn: state.arn('task-definition', spec.taskDefinition),
    lastStatus: spec.lastStatus ?? 'RUNNING',
    desiredStatus: spec.desiredStatus ?? (spec.lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING'),
    launchType,
    ...(launchType === 'FARGATE' && { platformVersion: spec.platformVersion ?? '1.4.0' }),
    ...(spec.containerInstance && {
      containerInstanceArn: state.arn(
        'container-instance',
        `${task.cluster}/${spec.containerInstance}`,
      ),
    }),
    enableExecuteCommand: spec.enableExecuteCommand ?? false,
    createdAt: task.createdAt,
    ...(spec.startedAt !== undefined
      ? { startedAt: spec.startedAt }
      : { startedAt: task.createdAt }),
    ...(spec.service && { group: `service:${spec.service}`, startedBy: `ecs-svc/${spec.service}` }),
    ...(spec.startedBy && { startedBy: spec.startedBy }),
    ...(spec.stoppedReason && { stoppedReason: spec.stoppedReason }),
    attributes: [{ name: 'ecs.cpu-architecture', value: spec.cpuArchitecture ?? 'x86_64' }],
    containers: task.containers.map((c) => renderContainer(state, task, c, taskArn)),
  };
}

function renderContainer(
  state: EcsState,
  task: TaskState,
  container: ContainerState,
  taskArn: string,
): object {
  const { spec } = container;
  const agent = spec.execAgent ?? 'RUNNING';
  return {
    containerArn: state.arn('container', `${task.cluster}/${task.id}/${spec.name}`),
    taskArn,
    name: spec.name,
    ...(spec.image && { image: spec.image }),
    ...(container.runtimeId && { runtimeId: container.runtimeId }),
    lastStatus: spec.lastStatus ?? task.spec.lastStatus ?? 'RUNNING',
    ...(agent !== 'none' && {
      managedAgents: [
        {
          name: 'ExecuteCommandAgent',
          lastStatus: agent,
          ...(agent === 'RUNNING' && { lastStartedAt: task.createdAt }),
          ...(spec.execAgentReason && { reason: spec.execAgentReason }),
        },
      ],
    }),
  };
}

export function renderTaskDefinition(state: EcsState, definition: TaskDefinitionSpec): object {
  return {
    taskDefinitionArn: state.arn('task-definition', `${definition.family}:${definition.revision}`),
    family: definition.family,
    revision: definition.revision,
    status: 'ACTIVE',
    ...(definition.pidMode && { pidMode: definition.pidMode }),
    ...(definition.taskRoleArn && { taskRoleArn: definition.taskRoleArn }),
    ...(definition.executionRoleArn && { executionRoleArn: definition.executionRoleArn }),
    containerDefinitions: definition.containerDefinitions.map((c) => ({ ...c })),
  };
}

export function renderContainerInstance(
  state: EcsState,
  cluster: string,
  instance: ContainerInstanceSpec,
): object {
  return {
    containerInstanceArn: state.arn('container-instance', `${cluster}/${instance.id}`),
    ec2InstanceId: instance.ec2InstanceId ?? `i-${instance.id.slice(0, 17)}`,
    status: 'ACTIVE',
    agentConnected: true,
    versionInfo: {
      agentVersion: instance.agentVersion ?? '1.87.0',
      agentHash: 'emulated',
      dockerVersion: 'DockerVersion: 25.0.8',
    },
  };
}

// AWS's ECS objects cut down to what the tree shows. Every member is optional on the wire, so
// each has the default AWS documents (enableExecuteCommand false, counts 0).

import type { Cluster, Container, Service, Task } from '@aws-sdk/client-ecs';

import {
  lastSegment,
  type ClusterSummary,
  type ContainerSummary,
  type ServiceSummary,
  type TaskSummary,
} from './nodes.js';

export function summarizeCluster(cluster: Cluster): ClusterSummary {
  const arn = cluster.clusterArn ?? '';
  return {
    name: cluster.clusterName ?? lastSegment(arn),
    arn,
    status: cluster.status ?? 'UNKNOWN',
    runningTasks: cluster.runningTasksCount ?? 0,
    activeServices: cluster.activeServicesCount ?? 0,
  };
}

export function summarizeService(service: Service): ServiceSummary {
  return {
    name: service.serviceName ?? lastSegment(service.serviceArn ?? ''),
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    execEnabled: service.enableExecuteCommand ?? false,
    taskDefinition: lastSegment(service.taskDefinition ?? ''),
  };
}

export function summarizeTask(task: Task): TaskSummary {
  const arn = task.taskArn ?? '';
  const group = task.group ?? '';
  return {
    arn,
    id: lastSegment(arn),
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    execEnabled: task.enableExecuteCommand ?? false,
    taskDefinition: lastSegment(task.taskDefinitionArn ?? ''),
    launchType: task.launchType,
    startedAt: task.startedAt ? new Date(task.startedAt).getTime() : undefined,
    serviceName: group.startsWith('service:') ? group.slice('service:'.length) : undefined,
    stoppedReason: task.stoppedReason,
    containers: (task.containers ?? []).map(summarizeContainer),
  };
}

export function summarizeContainer(container: Container): ContainerSummary {
  const agent = (container.managedAgents ?? []).find((a) => a.name === 'ExecuteCommandAgent');
  return {
    name: container.name ?? '',
    image: container.image,
    lastStatus: container.lastStatus ?? 'UNKNOWN',
    runtimeId: container.runtimeId,
    agentStatus: agent?.lastStatus,
    agentReason: agent?.reason,
  };
}

/** Newest first, running before the rest. */
export function compareTasks(a: TaskSummary, b: TaskSummary): number {
  const running = Number(b.lastStatus === 'RUNNING') - Number(a.lastStatus === 'RUNNING');
  return running || (b.startedAt ?? 0) - (a.startedAt ?? 0);
}

// The ECS reads the checks need beyond the task: the cluster (with its ECS Exec configuration),
// and around a task its definition, its service and its EC2 container instance. A read that
// fails leaves its part undefined; the checks that needed it then say they were not run.

import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  type Cluster,
  type ContainerInstance,
  type ECSClient,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

import type { CheckResult } from './checkResult.js';
import { finding, pass } from './result.js';
import { serviceOf } from './taskChecks.js';

export const CLUSTER_TITLE = 'Region and cluster';

export async function findCluster(
  ecs: ECSClient,
  name: string,
  region: string,
): Promise<{ result: CheckResult; cluster?: Cluster }> {
  const reply = await ecs.send(
    new DescribeClustersCommand({ clusters: [name], include: ['CONFIGURATIONS'] }),
  );
  const cluster = reply.clusters?.find((c) => c.status !== 'INACTIVE');
  if (cluster) {
    const message = `Cluster "${cluster.clusterName}" is ${cluster.status ?? 'ACTIVE'} in region "${region}".`;
    return { result: pass('CLUSTER_NOT_FOUND', CLUSTER_TITLE, message), cluster };
  }
  const listed = await ecs.send(new ListClustersCommand({ maxResults: 100 }));
  const names = (listed.clusterArns ?? []).map((arn) => arn.split('/').pop() ?? arn);
  if (names.length === 0) return { result: noClusters(region) };
  const shown = names
    .slice(0, 10)
    .map((n) => `"${n}"`)
    .join(', ');
  return {
    result: finding(
      'fail',
      'CLUSTER_NOT_FOUND',
      CLUSTER_TITLE,
      `Cluster "${name}" is not in region "${region}", which has ` +
        `${shown}${names.length > 10 ? ', …' : ''}.`,
      'Check the cluster name, or choose its region with --region.',
    ),
  };
}

/** A region without clusters; `fix` names how this surface chooses another region. */
export function noClusters(
  region: string,
  fix = "Choose the region your cluster runs in with --region (or the profile's region).",
): CheckResult {
  const message = `Region "${region}" has no ECS clusters for this account.`;
  return finding('fail', 'NO_CLUSTERS', CLUSTER_TITLE, message, fix);
}

export interface TaskFacts {
  taskDefinition?: TaskDefinition;
  service?: Service;
  containerInstance?: ContainerInstance;
}

export async function readTaskFacts(
  ecs: ECSClient,
  cluster: string,
  task: Task,
): Promise<TaskFacts> {
  const [taskDefinition, service, containerInstance] = await Promise.all([
    readTaskDefinition(ecs, task),
    readService(ecs, cluster, task),
    readContainerInstance(ecs, cluster, task),
  ]);
  return { taskDefinition, service, containerInstance };
}

export async function readTaskDefinition(
  ecs: ECSClient,
  task: Task,
): Promise<TaskDefinition | undefined> {
  if (!task.taskDefinitionArn) return undefined;
  const reply = await quietly(
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn })),
  );
  return reply?.taskDefinition;
}

async function readService(
  ecs: ECSClient,
  cluster: string,
  task: Task,
): Promise<Service | undefined> {
  const name = serviceOf(task);
  if (!name) return undefined;
  const reply = await quietly(ecs.send(new DescribeServicesCommand({ cluster, services: [name] })));
  return reply?.services?.[0];
}

async function readContainerInstance(
  ecs: ECSClient,
  cluster: string,
  task: Task,
): Promise<ContainerInstance | undefined> {
  if (!task.containerInstanceArn) return undefined;
  const reply = await quietly(
    ecs.send(
      new DescribeContainerInstancesCommand({
        cluster,
        containerInstances: [task.containerInstanceArn],
      }),
    ),
  );
  return reply?.containerInstances?.[0];
}

function quietly<T>(request: Promise<T>): Promise<T | undefined> {
  return request.catch(() => undefined);
}

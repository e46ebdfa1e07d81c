// Listing what a region holds: clusters, their services, and tasks with their containers.
// Every list follows nextToken to the end; DescribeTasks and DescribeServices go in batches of
// the most AWS accepts (100 tasks, 10 services) per call.

import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  type Cluster,
  type ECSClient,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';

const DESCRIBE_TASKS_BATCH = 100;
const DESCRIBE_SERVICES_BATCH = 10;
const DESCRIBE_CLUSTERS_BATCH = 100;

export interface TaskFilter {
  serviceName?: string;
  family?: string;
  startedBy?: string;
  desiredStatus?: 'RUNNING' | 'STOPPED';
}

export async function listClusters(ecs: ECSClient): Promise<Cluster[]> {
  const arns = await collect((nextToken) =>
    ecs.send(new ListClustersCommand({ nextToken })).then((r) => [r.clusterArns, r.nextToken]),
  );
  const clusters: Cluster[] = [];
  for (const batch of chunk(arns, DESCRIBE_CLUSTERS_BATCH)) {
    const reply = await ecs.send(
      new DescribeClustersCommand({ clusters: batch, include: ['CONFIGURATIONS'] }),
    );
    clusters.push(...(reply.clusters ?? []));
  }
  return clusters;
}

export async function listServices(ecs: ECSClient, cluster: string): Promise<Service[]> {
  const arns = await collect((nextToken) =>
    ecs
      .send(new ListServicesCommand({ cluster, nextToken }))
      .then((r) => [r.serviceArns, r.nextToken]),
  );
  const services: Service[] = [];
  for (const batch of chunk(arns, DESCRIBE_SERVICES_BATCH)) {
    const reply = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }));
    services.push(...(reply.services ?? []));
  }
  return services;
}

export async function listTasks(
  ecs: ECSClient,
  cluster: string,
  filter: TaskFilter = {},
): Promise<Task[]> {
  const arns = await collect((nextToken) =>
    ecs
      .send(new ListTasksCommand({ cluster, nextToken, maxResults: 100, ...filter }))
      .then((r) => [r.taskArns, r.nextToken]),
  );
  return describeTasks(ecs, cluster, arns);
}

export async function describeTasks(
  ecs: ECSClient,
  cluster: string,
  arns: string[],
): Promise<Task[]> {
  const batches = chunk(arns, DESCRIBE_TASKS_BATCH).map((batch) =>
    ecs.send(new DescribeTasksCommand({ cluster, tasks: batch })).then((r) => r.tasks ?? []),
  );
  return (await Promise.all(batches)).flat();
}

/** Tasks that no service started: their `group` is not `service:<name>`. */
export function isStandalone(task: Task): boolean {
  return !(task.group ?? '').startsWith('service:');
}

type Page = [string[] | undefined, string | undefined];

async function collect(fetchPage: (nextToken?: string) => Promise<Page>): Promise<string[]> {
  const items: string[] = [];
  let token: string | undefined;
  do {
    const [page, next] = await fetchPage(token);
    items.push(...(page ?? []));
    token = next;
  } while (token);
  return items;
}

function chunk<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

// `ecs-ssh ls`: clusters, services, tasks and containers of one region, as a readable outline
// or as JSON. With --cluster it lists one cluster's services and tasks with their containers.

import { parseArgs } from 'node:util';

import type { Task } from '@aws-sdk/client-ecs';

import { createClients } from '../aws/clients.js';
import { isStandalone, listClusters, listServices, listTasks } from '../aws/inventory.js';
import { formatAge } from '../model/presentation.js';

export const LS_USAGE = `Usage: ecs-ssh ls [--profile NAME] [--region NAME] [--cluster NAME] [--json]

Lists the clusters of a region; with --cluster, that cluster's services, tasks and
containers, with the state that decides whether you can connect.`;

export async function lsCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string' },
      region: { type: 'string' },
      cluster: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out(LS_USAGE);
    return 0;
  }
  const { ecs } = createClients({ profile: values.profile, region: values.region });

  if (!values.cluster) {
    const clusters = await listClusters(ecs);
    if (values.json)
      out(JSON.stringify(clusters.map((c) => ({ name: c.clusterName, status: c.status }))));
    else if (clusters.length === 0) out(`No clusters in region "${await ecs.config.region()}".`);
    else
      for (const c of clusters)
        out(`${c.clusterName}  ${c.status ?? ''}  ${c.runningTasksCount ?? 0} running`);
    return 0;
  }

  const [services, tasks] = await Promise.all([
    listServices(ecs, values.cluster),
    listTasks(ecs, values.cluster),
  ]);
  if (values.json) {
    out(
      JSON.stringify({
        services: services.map((s) => s.serviceName),
        tasks: tasks.map(taskSummary),
      }),
    );
    return 0;
  }
  for (const service of services) {
    out(`service ${service.serviceName}`);
    for (const task of tasks.filter((t) => t.group === `service:${service.serviceName}`))
      printTask(task, out);
  }
  const standalone = tasks.filter(isStandalone);
  if (standalone.length > 0) out('standalone tasks');
  for (const task of standalone) printTask(task, out);
  if (services.length === 0 && tasks.length === 0)
    out(`Cluster "${values.cluster}" has no services or tasks.`);
  return 0;
}

function taskSummary(task: Task) {
  return {
    taskId: task.taskArn?.split('/').pop(),
    lastStatus: task.lastStatus,
    enableExecuteCommand: task.enableExecuteCommand ?? false,
    group: task.group,
    /** `family:revision`: which of several alike tasks this is, and the `family/<name>` target. */
    taskDefinition: task.taskDefinitionArn?.split('/').pop(),
    startedAt: task.startedAt?.toISOString(),
    containers: (task.containers ?? []).map((c) => ({
      name: c.name,
      runtimeId: c.runtimeId,
      lastStatus: c.lastStatus,
      execAgent: c.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent')?.lastStatus,
    })),
  };
}

function printTask(task: Task, out: (line: string) => void): void {
  const summary = taskSummary(task);
  const exec = summary.enableExecuteCommand ? 'exec on' : 'exec OFF';
  const started = task.startedAt
    ? `  started ${formatAge(Date.now() - task.startedAt.getTime())} ago`
    : '';
  const definition = summary.taskDefinition ? `  ${summary.taskDefinition}` : '';
  out(`  task ${summary.taskId}  ${summary.lastStatus ?? '?'}  ${exec}${definition}${started}`);
  for (const c of summary.containers) {
    out(`    container ${c.name}  ${c.lastStatus ?? '?'}  agent ${c.execAgent ?? 'none'}`);
  }
}

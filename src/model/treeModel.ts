// The ECS tree's data: profile and region → clusters → services and "Standalone tasks" → tasks
// → containers. Each level is listed when it is asked for. A level that fails becomes one row
// (credentials or error), an empty one becomes a placeholder row; nothing here throws.

import type { Service, Task } from '@aws-sdk/client-ecs';

import type { AwsClients } from '../aws/clients.js';
import { isStandalone, listClusters, listServices, listTasks } from '../aws/inventory.js';
import type { Logger } from '../ssm/log.js';
import { credentialProblem } from './credentialProblem.js';
import type {
  ClusterNode,
  EcsNode,
  ResourceNode,
  Scope,
  ScopeNode,
  ServiceNode,
  StandaloneNode,
  TaskNode,
} from './nodes.js';
import { scopeId } from './nodes.js';
import { describeError } from './errorText.js';
import { compareTasks, summarizeCluster, summarizeService, summarizeTask } from './summaries.js';
import { readDefinitions, withProblems } from './taskProblems.js';

export interface TreeModelOptions {
  /** The configured profile and region pairs, read at each call. */
  scopes(): Scope[];
  /** AWS clients for a scope; the caller caches them. */
  clients(scope: Scope): AwsClients;
  /** Drops cached clients (and so cached credentials) of a scope after a credentials failure. */
  forget?(scope: Scope): void;
  log: Logger;
}

export class EcsTreeModel {
  constructor(private readonly options: TreeModelOptions) {}

  async children(node?: EcsNode): Promise<EcsNode[]> {
    if (!node) return this.options.scopes().map(scopeNode);
    switch (node.kind) {
      case 'scope':
        return this.load(node, 'clusters', () => this.clusters(node));
      case 'cluster':
        return this.clusterChildren(node);
      case 'service':
        return this.load(node, 'tasks', () => this.serviceTasks(node));
      case 'standalone':
        return this.load(node, 'standalone tasks', () => this.standaloneTasks(node));
      case 'task':
        return containerNodes(node);
      default:
        return [];
    }
  }

  private async clusters(node: ScopeNode): Promise<ClusterNode[]> {
    const clusters = await listClusters(this.ecs(node.scope));
    return clusters
      .map(summarizeCluster)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((cluster) => ({
        kind: 'cluster',
        id: `${node.id}/c:${cluster.name}`,
        scope: node.scope,
        cluster,
      }));
  }

  private async clusterChildren(node: ClusterNode): Promise<EcsNode[]> {
    const standalone: StandaloneNode = {
      kind: 'standalone',
      id: `${node.id}/standalone`,
      scope: node.scope,
      clusterName: node.cluster.name,
    };
    const services = await this.load(node, 'services', () => this.services(node), false);
    return [...services, standalone];
  }

  private async services(node: ClusterNode): Promise<ServiceNode[]> {
    const services = await listServices(this.ecs(node.scope), node.cluster.name);
    return services
      .map(summarizeService)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((service) => ({
        kind: 'service',
        id: `${node.id}/svc:${service.name}`,
        scope: node.scope,
        clusterName: node.cluster.name,
        service,
      }));
  }

  private async serviceTasks(node: ServiceNode): Promise<TaskNode[]> {
    const filter = { serviceName: node.service.name };
    const tasks = await listTasks(this.ecs(node.scope), node.clusterName, filter);
    const service: Service = {
      serviceName: node.service.name,
      enableExecuteCommand: node.service.execEnabled,
    };
    return taskNodes(node, await this.checked(node.scope, tasks, service));
  }

  private async standaloneTasks(node: StandaloneNode): Promise<TaskNode[]> {
    const tasks = await listTasks(this.ecs(node.scope), node.clusterName);
    return taskNodes(node, await this.checked(node.scope, tasks.filter(isStandalone)));
  }

  /** Summaries with what the connection checks found (see taskProblems.ts). */
  private async checked(scope: Scope, tasks: Task[], service?: Service) {
    const definitions = await readDefinitions(this.ecs(scope), tasks);
    return tasks.map((task) => {
      const definition = definitions.get(task.taskDefinitionArn ?? '');
      return withProblems(summarizeTask(task), task, definition, service);
    });
  }

  private ecs(scope: Scope) {
    return this.options.clients(scope).ecs;
  }

  /** Runs one listing; turns failure into a row and, unless `placeholder` is false, an empty
   * result into a placeholder row. */
  private async load(
    parent: ResourceNode,
    what: string,
    list: () => Promise<EcsNode[]>,
    placeholder = true,
  ): Promise<EcsNode[]> {
    try {
      const nodes = await list();
      if (nodes.length > 0 || !placeholder) return nodes;
      return [{ kind: 'empty', id: `${parent.id}/empty`, what: emptyText(what, parent) }];
    } catch (error) {
      return [this.failureRow(parent, what, error)];
    }
  }

  private failureRow(parent: ResourceNode, what: string, error: unknown): EcsNode {
    const problem = credentialProblem(error, parent.scope);
    if (problem) {
      this.options.forget?.(parent.scope);
      this.options.log.warn(`Listing ${what} in ${scopeId(parent.scope)}: ${problem.message}`);
      return {
        kind: 'credentials',
        id: `${parent.id}/credentials`,
        scope: parent.scope,
        ...problem,
      };
    }
    const { code, message } = describeError(error);
    const where = `${what} in ${placeholderPlace(parent)}`;
    this.options.log.error(`Could not list ${where}: ${code}: ${message}`);
    return {
      kind: 'error',
      id: `${parent.id}/error`,
      what: `Could not list ${where}`,
      message,
      code,
    };
  }
}

function scopeNode(scope: Scope): ScopeNode {
  return { kind: 'scope', id: `s:${scopeId(scope)}`, scope };
}

function taskNodes(parent: ServiceNode | StandaloneNode, tasks: TaskNode['task'][]): TaskNode[] {
  return tasks.sort(compareTasks).map((task) => ({
    kind: 'task',
    id: `${parent.id}/t:${task.id}`,
    scope: parent.scope,
    clusterName: parent.clusterName,
    task,
  }));
}

function containerNodes(node: TaskNode): EcsNode[] {
  if (node.task.containers.length === 0) {
    return [{ kind: 'empty', id: `${node.id}/empty`, what: 'No containers in this task' }];
  }
  return node.task.containers.map((container) => ({
    kind: 'container',
    id: `${node.id}/ct:${container.name}`,
    scope: node.scope,
    clusterName: node.clusterName,
    task: node.task,
    container,
  }));
}

function placeholderPlace(parent: ResourceNode): string {
  if (parent.kind === 'scope') return parent.scope.region;
  if (parent.kind === 'cluster') return `cluster "${parent.cluster.name}"`;
  if (parent.kind === 'service') return `service "${parent.service.name}"`;
  if (parent.kind === 'standalone' || parent.kind === 'task') {
    return `cluster "${parent.clusterName}"`;
  }
  return 'this place';
}

function emptyText(what: string, parent: ResourceNode): string {
  if (parent.kind === 'service') return 'No running tasks';
  if (parent.kind === 'standalone') return 'No standalone tasks';
  return `No ${what} in ${placeholderPlace(parent)}`;
}

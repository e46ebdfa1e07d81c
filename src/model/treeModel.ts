// The ECS tree's data: profile and region → clusters → services and "Standalone tasks" → tasks
// → containers. Each level is listed when it is asked for. A level that fails becomes one row
// (credentials or error), an empty one becomes a placeholder row; nothing here throws.
// Task rows carry what the connection checks find: checkTask at once, the deeper checks (IAM
// simulation, the cluster's exec configuration) a moment later, and what Diagnose Connection or
// a failed Connect found; when the deeper checks learn something, the listing is drawn again.

import type { Cluster, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';

import type { AwsClients } from '../aws/clients.js';
import { isStandalone, listClusters, listServices, listTasks } from '../aws/inventory.js';
import { problems } from '../diagnose/checkResult.js';
import { checkExecKmsKey } from '../diagnose/clusterChecks.js';
import { credentialFailure } from '../diagnose/credentialChecks.js';
import { noClusters } from '../diagnose/lookups.js';
import type { Logger } from '../ssm/log.js';
import { credentialProblem } from './credentialProblem.js';
import { DeepChecks, type DeepCheckOptions } from './deepChecks.js';
import type { Findings } from './findings.js';
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
import { lastSegment, scopeId } from './nodes.js';
import { describeError } from './errorText.js';
import { compareTasks, summarizeCluster, summarizeService, summarizeTask } from './summaries.js';
import { readContainerInstances, readDefinitions, withProblems } from './taskProblems.js';

export interface TreeModelOptions {
  /** The configured profile and region pairs, read at each call. */
  scopes(): Scope[];
  /** AWS clients for a scope; the caller caches them. */
  clients(scope: Scope): AwsClients;
  /** Drops cached clients (and so cached credentials) of a scope after a credentials failure. */
  forget?(scope: Scope): void;
  log: Logger;
  /** What Diagnose Connection and failed Connects found, shown on the task's rows. */
  findings?: Findings;
  /** Whether to run the deeper checks (IAM simulation) for listed tasks; read at each listing.
   * Default: yes. */
  deepChecks?(): boolean;
  /** Called when a node's children should be drawn again (the deeper checks learned more). */
  changed?(node: EcsNode): void;
  /** Lifetimes, time limit and clock of the deeper checks (tests shorten them). */
  deepCheckOptions?: DeepCheckOptions;
}

/** How the tree says to choose another region. */
const TREE_REGION_FIX =
  'Choose the region your clusters run in with "ECS Remote: Select AWS Profile and Region".';

export class EcsTreeModel {
  private readonly deep: DeepChecks;
  /** Task definitions never change once registered, so each is read once per scope. */
  private readonly definitions = new Map<string, TaskDefinition>();

  constructor(private readonly options: TreeModelOptions) {
    this.deep = new DeepChecks(options.deepCheckOptions);
  }

  /** Resolves when no deeper check is running (tests wait for it). */
  idle(): Promise<void> {
    return this.deep.idle();
  }

  /** Forgets what the deeper checks found, so the next listing asks again (a manual refresh). */
  forgetChecks(scope?: Scope): void {
    for (const each of scope ? [scope] : this.options.scopes()) this.deep.forget(each);
  }

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
    for (const cluster of clusters) this.deep.rememberCluster(node.scope, cluster);
    return clusters
      .map(clusterSummary)
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
    return taskNodes(node, await this.checked(node, tasks, service));
  }

  private async standaloneTasks(node: StandaloneNode): Promise<TaskNode[]> {
    const tasks = await listTasks(this.ecs(node.scope), node.clusterName);
    return taskNodes(node, await this.checked(node, tasks.filter(isStandalone)));
  }

  /** Summaries with what the connection checks found (see taskProblems.ts). */
  private async checked(parent: ServiceNode | StandaloneNode, tasks: Task[], service?: Service) {
    const { scope, clusterName } = parent;
    const ecs = this.ecs(scope);
    const [definitions, instances] = await Promise.all([
      readDefinitions(ecs, tasks, this.definitions, scopeId(scope)),
      readContainerInstances(ecs, clusterName, tasks),
    ]);
    const definitionOf = (task: Task) => definitions.get(task.taskDefinitionArn ?? '');
    this.startDeepChecks(parent, tasks, definitionOf);
    return tasks.map((task) =>
      withProblems(summarizeTask(task), task, {
        taskDefinition: definitionOf(task),
        service,
        containerInstance: instances.get(task.containerInstanceArn ?? ''),
        deep: this.deep.known(scope, task),
        found: this.found(scope, clusterName, task),
      }),
    );
  }

  private startDeepChecks(
    parent: ServiceNode | StandaloneNode,
    tasks: Task[],
    definitionOf: (task: Task) => TaskDefinition | undefined,
  ): void {
    if (this.options.deepChecks?.() === false || tasks.length === 0) return;
    const inputs = tasks.map((task) => ({ task, definition: definitionOf(task) }));
    const clients = this.options.clients(parent.scope);
    void this.deep.check(parent.scope, clients, parent.clusterName, inputs).then((learned) => {
      if (learned) this.options.changed?.(parent);
    });
  }

  private found(scope: Scope, cluster: string, task: Task) {
    const findings = this.options.findings;
    if (!findings) return undefined;
    const taskId = lastSegment(task.taskArn ?? '');
    return {
      task: findings.forTask({ scope, cluster, taskId }),
      container: (container: string) =>
        findings.forContainer({ scope, cluster, taskId, container }),
    };
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
      const empty: EcsNode = {
        kind: 'empty',
        id: `${parent.id}/empty`,
        what: emptyText(what, parent),
      };
      if (parent.kind === 'scope') empty.problem = noClusters(parent.scope.region, TREE_REGION_FIX);
      return [empty];
    } catch (error) {
      return [this.failureRow(parent, what, error)];
    }
  }

  private failureRow(parent: ResourceNode, what: string, error: unknown): EcsNode {
    const problem = credentialProblem(error, parent.scope);
    if (problem) {
      this.options.forget?.(parent.scope);
      this.deep.forget(parent.scope);
      this.options.log.warn(`Listing ${what} in ${scopeId(parent.scope)}: ${problem.message}`);
      const check = credentialFailure(error, parent.scope.profile);
      return {
        kind: 'credentials',
        id: `${parent.id}/credentials`,
        scope: parent.scope,
        ...problem,
        ...(check && { check }),
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

/** A cluster row's summary, with a KMS key in its ECS Exec configuration as its problem. */
function clusterSummary(cluster: Cluster) {
  return { ...summarizeCluster(cluster), problems: problems([checkExecKmsKey(cluster)]) };
}

function scopeNode(scope: Scope): ScopeNode {
  return { kind: 'scope', id: `s:${scopeId(scope)}`, scope };
}

function taskNodes(parent: ServiceNode | StandaloneNode, tasks: TaskNode['task'][]): TaskNode[] {
  // AWS always names tasks and containers; should one come without, its position keeps ids unique.
  return tasks.sort(compareTasks).map((task, index) => ({
    kind: 'task',
    id: `${parent.id}/t:${task.id || `#${index}`}`,
    scope: parent.scope,
    clusterName: parent.clusterName,
    task,
  }));
}

function containerNodes(node: TaskNode): EcsNode[] {
  if (node.task.containers.length === 0) {
    return [{ kind: 'empty', id: `${node.id}/empty`, what: 'No containers in this task' }];
  }
  return node.task.containers.map((container, index) => ({
    kind: 'container',
    id: `${node.id}/ct:${container.name || `#${index}`}`,
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

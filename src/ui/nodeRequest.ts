// From a tree row to what Connect needs: a container row is one already; a task asks which
// container when it has several; a service follows its current task and asks the same.

import * as vscode from 'vscode';

import type { ConnectRequest } from '../connect/connectPlan.js';
import { CancelledError, UserError, Actions } from '../connect/userError.js';
import { containerExecState } from '../model/execState.js';
import type { EcsNode, ServiceNode, TaskNode, TaskSummary } from '../model/nodes.js';
import { EcsTreeModel } from '../model/treeModel.js';
import { shortTaskId } from '../model/presentation.js';
import type { Services } from './services.js';

export async function requestForNode(
  services: Services,
  node: EcsNode,
): Promise<ConnectRequest | undefined> {
  const user = services.settings().loginUser;
  if (node.kind === 'container') {
    const { scope, clusterName: cluster, task, container } = node;
    const serviceName = task.serviceName;
    return {
      scope,
      cluster,
      target: `task/${task.id}`,
      container: container.name,
      user,
      serviceName,
    };
  }
  if (node.kind === 'task') {
    const container = await pickContainer(node.task);
    const serviceName = node.task.serviceName;
    const { scope, clusterName: cluster } = node;
    return { scope, cluster, target: `task/${node.task.id}`, container, user, serviceName };
  }
  if (node.kind === 'service') {
    const task = await currentTask(services, node);
    const container = await pickContainer(task);
    const target = `service/${node.service.name}`;
    return { scope: node.scope, cluster: node.clusterName, target, container, user };
  }
  return undefined;
}

/** The containers of a task that Connect can reach; asks only when there are several. */
export async function pickContainer(task: TaskSummary, step = ''): Promise<string> {
  const usable = task.containers.filter((c) => containerExecState(task, c).ok);
  if (usable.length === 0) {
    const states = task.containers.map((c) => `"${c.name}": ${containerExecState(task, c).short}`);
    throw new UserError(
      'NO_CONNECTABLE_CONTAINER',
      `No container of task ${shortTaskId(task.id)} can be reached with ECS Exec ` +
        `(${states.join(', ') || 'no containers'}).`,
      Actions.refresh,
    );
  }
  if (usable.length === 1) return usable[0].name;
  const items = usable.map((c) => ({ label: c.name, description: c.image }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Connect to ECS Container${step}: container`,
    placeHolder: `Container of task ${shortTaskId(task.id)}`,
  });
  if (!picked) throw new CancelledError();
  return picked.label;
}

/** The service's newest running task with a reachable container, as the proxy will pick it. */
export async function currentTask(services: Services, node: ServiceNode): Promise<TaskSummary> {
  const model = new EcsTreeModel({
    scopes: () => [node.scope],
    clients: (scope) => services.clients(scope),
    log: services.log,
  });
  const children = throwIfFailed(await model.children(node));
  const tasks = children.filter((c): c is TaskNode => c.kind === 'task').map((t) => t.task);
  const running = tasks.find((task) => task.lastStatus === 'RUNNING' && task.execEnabled);
  if (running) return running;
  throw new UserError(
    'NO_RUNNING_TASK',
    `Service "${node.service.name}" has no running task with ECS Exec on.`,
    Actions.refresh,
  );
}

/** A level that failed to load is a row in the tree, and an error here. */
export function throwIfFailed(nodes: EcsNode[]): EcsNode[] {
  for (const node of nodes) {
    if (node.kind === 'credentials') {
      const action = node.signInCommand
        ? Actions.signIn(node.signInCommand)
        : Actions.selectProfile;
      const code = node.check?.code ?? (node.signInCommand ? 'SSO_EXPIRED' : 'NO_CREDENTIALS');
      throw new UserError(code, node.message, action);
    }
    if (node.kind === 'error') throw new UserError(node.code, `${node.what}: ${node.message}`);
  }
  return nodes;
}

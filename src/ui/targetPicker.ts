// Connect from the command palette: profile and region, cluster, service or standalone task,
// container. Each step lists what the tree would show; a step with one choice is skipped.

import * as vscode from 'vscode';

import type { ConnectRequest } from '../connect/connectPlan.js';
import { Actions, CancelledError, UserError } from '../connect/userError.js';
import { isTaskConnectable } from '../model/execState.js';
import type { EcsNode, ResourceNode, ServiceNode, TaskNode } from '../model/nodes.js';
import { EcsTreeModel } from '../model/treeModel.js';
import { rowText } from '../model/presentation.js';
import { currentTask, pickContainer, throwIfFailed } from './nodeRequest.js';
import type { Services } from './services.js';

const TITLE = 'Connect to ECS Container';

export async function pickTarget(services: Services): Promise<ConnectRequest> {
  const model = new EcsTreeModel({
    scopes: () => services.scopes(),
    clients: (scope) => services.clients(scope),
    forget: (scope) => services.forget(scope),
    log: services.log,
  });
  const scopes = await model.children();
  if (scopes.length === 0) {
    throw new UserError(
      'NO_PROFILE',
      'No AWS profile and region is selected; select one, then connect.',
      Actions.selectProfile,
    );
  }
  const scope = await pickNode(scopes, 'profile and region');
  const cluster = await pickNode(await listed(model, scope, 'clusters'), 'cluster');
  const target = await pickNode(await targetsOf(model, cluster), 'service or task');
  return requestFor(services, target as ServiceNode | TaskNode);
}

async function targetsOf(model: EcsTreeModel, cluster: EcsNode): Promise<EcsNode[]> {
  const children = throwIfFailed(await model.children(cluster));
  const services = children.filter((c) => c.kind === 'service' && c.service.execEnabled);
  const standalone = children.find((c) => c.kind === 'standalone');
  const tasks = standalone ? throwIfFailed(await model.children(standalone)) : [];
  const reachable = tasks.filter((t) => t.kind === 'task' && isTaskConnectable(t.task));
  const targets = [...services, ...reachable];
  if (targets.length > 0) return targets;
  throw new UserError(
    'NOTHING_TO_CONNECT',
    'No service with ECS Exec on and no reachable standalone task in this cluster.',
    Actions.refresh,
  );
}

async function requestFor(services: Services, node: ServiceNode | TaskNode) {
  const task = node.kind === 'task' ? node.task : await currentTask(services, node);
  const container = await pickContainer(task, ' (4/4)');
  const target = node.kind === 'task' ? `task/${node.task.id}` : `service/${node.service.name}`;
  return {
    scope: node.scope,
    cluster: node.clusterName,
    target,
    container,
    user: services.settings().loginUser,
    serviceName: node.kind === 'service' ? node.service.name : task.serviceName,
  };
}

async function listed(model: EcsTreeModel, parent: EcsNode, what: string): Promise<EcsNode[]> {
  const nodes = throwIfFailed(await model.children(parent));
  if (nodes.some((node) => node.kind !== 'empty')) return nodes;
  throw new UserError('NOTHING_TO_CONNECT', `No ${what} found.`, Actions.refresh);
}

const STEPS = ['profile and region', 'cluster', 'service or task'];

async function pickNode(nodes: EcsNode[], what: string): Promise<ResourceNode> {
  const choices = nodes.filter(
    (node): node is ResourceNode => !['error', 'empty', 'credentials'].includes(node.kind),
  );
  if (choices.length === 1) return choices[0];
  const items = choices.map((node) => {
    const text = rowText(node);
    return { label: `$(${text.icon}) ${text.label}`, description: text.description, node };
  });
  const step = STEPS.indexOf(what) + 1;
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (${step}/4): ${what}`,
    matchOnDescription: true,
  });
  if (!picked) throw new CancelledError();
  return picked.node;
}

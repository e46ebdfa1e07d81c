// "Enable ECS Exec and Redeploy": the fix for tasks that started with ECS Exec off. Asks first
// (modal, naming the service), then UpdateService with exec on and a new deployment, then
// reloads the tree. Offered by Diagnose Connection, by Connect, and on service and task rows
// it fixes (context menu); not in the palette.

import * as vscode from 'vscode';

import { enableExecAndRedeploy, enableExecConfirmation } from '../diagnose/index.js';
import { execFix } from '../model/contextValues.js';
import type { EcsNode, Scope } from '../model/nodes.js';
import type { EcsCommand } from './command.js';

export const enableExecCommand: EcsCommand = {
  id: 'ecsRemote.enableExec',
  run: async ({ services, tree }, ...args: [EcsNode] | [Scope, string, string]) => {
    const target = targetOf(args);
    if (!target) return;
    const { scope, cluster, service } = target;
    const request = { cluster, service };
    const ask = enableExecConfirmation(request);
    const options = { modal: true, detail: ask.detail };
    const choice = await vscode.window.showWarningMessage(ask.message, options, ask.button);
    if (choice !== ask.button) return;
    await enableExecAndRedeploy(services.clients(scope).ecs, request);
    services.log.info(`Enabled ECS Exec on service "${service}" in "${cluster}" and redeployed it`);
    tree.provider.refresh();
    void vscode.window.showInformationMessage(
      `Service "${service}" is redeploying with ECS Exec on. Connect when its new task is RUNNING.`,
    );
  },
};

/** A service or task row (context menu), or the scope, cluster and service a fix names. */
function targetOf(
  args: [EcsNode] | [Scope, string, string],
): { scope: Scope; cluster: string; service: string } | undefined {
  if (args.length === 3) return { scope: args[0], cluster: args[1], service: args[2] };
  const [node] = args;
  if (node.kind === 'service') {
    return { scope: node.scope, cluster: node.clusterName, service: node.service.name };
  }
  if (node.kind === 'task') {
    const fix = execFix(node.task);
    return fix && { scope: node.scope, cluster: fix.cluster, service: fix.service };
  }
  return undefined;
}

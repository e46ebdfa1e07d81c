// "Enable ECS Exec and Redeploy": the fix for tasks that started with ECS Exec off. Asks first
// (modal, naming the service), then UpdateService with exec on and a new deployment, then
// reloads the tree. Offered by Diagnose Connection and by Connect; not in the palette.

import * as vscode from 'vscode';

import { enableExecAndRedeploy, enableExecConfirmation } from '../diagnose/index.js';
import type { Scope } from '../model/nodes.js';
import type { EcsCommand } from './command.js';

export const enableExecCommand: EcsCommand = {
  id: 'ecsRemote.enableExec',
  run: async ({ services, tree }, scope: Scope, cluster: string, service: string) => {
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

// The ECS view in its own activity-bar container: model, provider, view, polling while visible,
// and a full refresh when the profile and region settings change.

import * as vscode from 'vscode';

import type { EcsNode } from '../model/nodes.js';
import { EcsTreeModel } from '../model/treeModel.js';
import type { Services } from '../ui/services.js';
import { autoRefresh } from './autoRefresh.js';
import { EcsTreeProvider } from './ecsTreeProvider.js';

export const VIEW_ID = 'ecsRemote.tree';

export interface EcsTree {
  model: EcsTreeModel;
  provider: EcsTreeProvider;
  view: vscode.TreeView<EcsNode>;
}

export function registerTree(services: Services): EcsTree {
  const model = new EcsTreeModel({
    scopes: () => services.scopes(),
    clients: (scope) => services.clients(scope),
    forget: (scope) => services.forget(scope),
    log: services.log,
    findings: services.findings,
    deepChecks: () => services.settings().checkPermissionsInTree,
    changed: (node) => provider.refresh(node),
  });
  const provider = new EcsTreeProvider(model);
  // A new finding can be on any expanded task: draw the tree again (the listings are cheap).
  const stopFindings = services.findings.onChange(() => provider.refresh());
  const view = vscode.window.createTreeView(VIEW_ID, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const onSettings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('ecsRemote.connections')) provider.refresh();
    if (event.affectsConfiguration('ecsRemote.checkPermissionsInTree')) {
      model.forgetChecks();
      provider.refresh();
    }
  });
  services.context.subscriptions.push(
    provider,
    view,
    onSettings,
    { dispose: stopFindings },
    autoRefresh(view, provider, () => services.settings().autoRefreshSeconds),
  );
  return { model, provider, view };
}

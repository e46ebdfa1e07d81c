// Polls the expanded levels that change on their own (services' and standalone task lists)
// while the view is visible, every `ecsRemote.autoRefreshSeconds`; never while it is hidden.

import * as vscode from 'vscode';

import type { EcsNode } from '../model/nodes.js';
import type { EcsTreeProvider } from './ecsTreeProvider.js';

const POLLED = new Set<EcsNode['kind']>(['service', 'standalone']);

export function autoRefresh(
  view: vscode.TreeView<EcsNode>,
  provider: EcsTreeProvider,
  seconds: () => number,
): vscode.Disposable {
  const expanded = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const start = () => {
    stop();
    const period = seconds();
    if (!view.visible || period <= 0) return;
    timer = setInterval(() => {
      for (const id of expanded) {
        const node = provider.node(id);
        if (node) provider.refresh(node);
      }
    }, period * 1000);
  };

  const subscriptions = [
    view.onDidExpandElement(({ element }) => {
      if (POLLED.has(element.kind)) expanded.add(element.id);
    }),
    view.onDidCollapseElement(({ element }) => expanded.delete(element.id)),
    view.onDidChangeVisibility(start),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ecsRemote.autoRefreshSeconds')) start();
    }),
  ];
  start();
  return vscode.Disposable.from(...subscriptions, { dispose: stop });
}

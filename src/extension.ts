// Activation reads as a table of contents: log, shared services, launcher, tree, status bar,
// commands. Returns a small API that the editor tests use to walk the tree and read what the
// status bar and the palette's Diagnose offer.

import * as vscode from 'vscode';

import { paletteChoices } from './commands/diagnose.js';
import { registerCommands } from './commands/index.js';
import type { DiagnoseChoice } from './model/diagnosePlan.js';
import type { EcsNode } from './model/nodes.js';
import { registerTree } from './tree/registerTree.js';
import { createLog } from './ui/log.js';
import { Services } from './ui/services.js';
import { describeSettings } from './ui/settings.js';
import { EcsStatusBar, type StatusSnapshot } from './ui/statusBar.js';

export interface EcsRemoteApi {
  /** The view's provider: children and TreeItems exactly as the view gets them. */
  tree: vscode.TreeDataProvider<EcsNode>;
  /** What the status bar item shows. */
  statusBar(): StatusSnapshot;
  /** What Diagnose Connection from the palette offers first, in order. */
  diagnoseChoices(): Promise<DiagnoseChoice[]>;
}

export async function activate(context: vscode.ExtensionContext): Promise<EcsRemoteApi> {
  const started = Date.now();
  const log = createLog(context);
  const version = String(context.extension.packageJSON.version);
  log.info(`ECS Remote SSH ${version} in ${vscode.env.appName} ${vscode.version}`);

  const services = new Services(context, log);
  await services.detectDefaultScope();
  log.info(`Settings: ${describeSettings(services.settings())}`);
  const launcher = await services.launcher();
  log.info(`Proxy launcher: ${launcher.command}`);

  const tree = registerTree(services);
  const statusBar = new EcsStatusBar(services);
  context.subscriptions.push(statusBar, ...registerCommands({ services, tree, statusBar }));
  await statusBar.update();

  log.info(`Activated in ${Date.now() - started} ms`);
  return {
    tree: tree.provider,
    statusBar: () => statusBar.snapshot(),
    diagnoseChoices: () => paletteChoices(services),
  };
}

export function deactivate(): void {}

// Status-bar-only: what a click on the connected window's item offers.

import * as vscode from 'vscode';

import type { EcsCommand } from './command.js';

export const statusBarMenuCommand: EcsCommand = {
  id: 'ecsRemote.statusBarMenu',
  run: async ({ statusBar }) => {
    const current = statusBar.current;
    const items = [
      {
        label: '$(refresh) Reconnect',
        description: current?.request.serviceName ? 'follows the service if the task is gone' : '',
        command: 'ecsRemote.reconnect',
      },
      { label: '$(output) Show Logs', description: '', command: 'ecsRemote.showLogs' },
      { label: '$(gear) Open SSH Config', description: '', command: 'ecsRemote.openSshConfig' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: current ? `ECS: ${current.alias}` : 'ECS Remote SSH',
    });
    if (picked) await vscode.commands.executeCommand(picked.command);
  },
};

// Tree- and message-only: runs the exact sign-in command (e.g. `aws sso login --profile dev`) in
// a terminal; when that terminal is closed, cached credentials are dropped and the tree reloads.

import * as vscode from 'vscode';

import type { EcsCommand } from './command.js';

export const signInCommand: EcsCommand = {
  id: 'ecsRemote.signIn',
  run: ({ services, tree }, command?: string) => {
    if (typeof command !== 'string' || !/^aws sso login\b/.test(command)) {
      return vscode.commands.executeCommand('ecsRemote.selectProfile');
    }
    const terminal = vscode.window.createTerminal({ name: 'AWS sign-in' });
    const closed = vscode.window.onDidCloseTerminal((which) => {
      if (which !== terminal) return;
      closed.dispose();
      services.forget();
      tree.provider.refresh();
    });
    services.context.subscriptions.push(closed);
    terminal.show();
    terminal.sendText(command);
    services.log.info(`Started "${command}" in a terminal`);
    return undefined;
  },
};

// "Open SSH Config": the file our Host blocks go to (Remote-SSH's remote.SSH.configFile, else
// ~/.ssh/config) in an editor.

import { existsSync } from 'node:fs';

import * as vscode from 'vscode';

import type { EcsCommand } from './command.js';

export const openSshConfigCommand: EcsCommand = {
  id: 'ecsRemote.openSshConfig',
  run: async ({ services }) => {
    const path = services.settings().sshConfigFile;
    if (!existsSync(path)) {
      void vscode.window.showInformationMessage(
        `The ssh config "${path}" does not exist yet; Connect creates it.`,
      );
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(path));
  },
};

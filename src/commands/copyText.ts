// Tree- and message-only: copies a fix command from an error message to the clipboard.

import * as vscode from 'vscode';

import type { EcsCommand } from './command.js';

export const copyTextCommand: EcsCommand = {
  id: 'ecsRemote.copyText',
  run: async (_context, text?: string) => {
    if (typeof text !== 'string' || text === '') return;
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Copied "${text}" to the clipboard.`);
  },
};

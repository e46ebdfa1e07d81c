// The one error wrapper every command runs through. Cancellation is silent; a known failure
// shows its message with the one action that fixes it; anything else shows the message and
// "Show Logs". Every failure is logged with its code.

import * as vscode from 'vscode';

import { CancelledError, toUserError, UserError, type ErrorAction } from '../connect/userError.js';
import type { Log } from './log.js';

// Commands receive tree nodes, URIs or nothing, as VS Code passes them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;

export const SHOW_LOGS: ErrorAction = { title: 'Show Logs', command: 'ecsRemote.showLogs' };

export function registerCommand(log: Log, id: string, handler: CommandHandler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      reportFailure(log, id, error);
      return undefined;
    }
  });
}

export function reportFailure(log: Log, id: string, error: unknown): void {
  if (isCancellation(error)) {
    log.info(`${id}: cancelled`);
    return;
  }
  const failure = toUserError(error) as UserError;
  log.error(`${id} failed: ${failure.code}: ${failure.message}`);
  void offer(failure.message, failure.action ?? SHOW_LOGS);
}

async function offer(message: string, action: ErrorAction): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, action.title);
  if (choice === action.title) {
    await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  }
}

function isCancellation(error: unknown): boolean {
  return (
    error instanceof CancelledError ||
    error instanceof vscode.CancellationError ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

// The extension's one log: a LogOutputChannel ("ECS Remote SSH"), whose level follows VS Code's
// own log level. Every line passes the redactor first (src/connect/safeLog.ts), so no
// credential, session token, stream URL or private key reaches it.

import * as vscode from 'vscode';

import { safeLog, type SafeLog } from '../connect/safeLog.js';

export interface Log extends SafeLog {
  show(): void;
}

export const LOG_NAME = 'ECS Remote SSH';

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel(LOG_NAME, { log: true });
  context.subscriptions.push(channel);
  const log = safeLog({
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
  });
  return { ...log, show: () => channel.show(true) };
}

// The extension's one log: a LogOutputChannel ("ECS Remote SSH"), whose level follows VS Code's
// own log level. Every line passes the redactor first, so no credential, session token, stream
// URL or private key reaches it.

import * as vscode from 'vscode';

import type { Logger } from '../ssm/log.js';
import { Redactor } from '../ssm/redact.js';

export interface Log extends Logger {
  show(): void;
  /** The redactor every line passes; register secret values with it as they appear. */
  redactor: Redactor;
}

export const LOG_NAME = 'ECS Remote SSH';

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel(LOG_NAME, { log: true });
  context.subscriptions.push(channel);
  const redactor = new Redactor();
  const safe = redactor.wrap({
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
  });
  return { ...safe, redactor, show: () => channel.show(true) };
}

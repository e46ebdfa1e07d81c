// Every command of the extension, registered through the one error wrapper.

import type * as vscode from 'vscode';

import { registerCommand } from '../ui/commandRunner.js';
import type { CommandContext, EcsCommand } from './command.js';
import { connectCommand } from './connect.js';
import { connectInCurrentWindowCommand } from './connectInCurrentWindow.js';
import { copySshCommandCommand } from './copySshCommand.js';
import { copyTextCommand } from './copyText.js';
import { diagnoseCommand } from './diagnose.js';
import { enableExecCommand } from './enableExec.js';
import { openSshConfigCommand } from './openSshConfig.js';
import { reconnectCommand } from './reconnect.js';
import { refreshCommand } from './refresh.js';
import { selectProfileCommand } from './selectProfile.js';
import { showLogsCommand } from './showLogs.js';
import { signInCommand } from './signIn.js';
import { statusBarMenuCommand } from './statusBarMenu.js';

export const COMMANDS: readonly EcsCommand[] = [
  connectCommand,
  connectInCurrentWindowCommand,
  refreshCommand,
  selectProfileCommand,
  copySshCommandCommand,
  openSshConfigCommand,
  showLogsCommand,
  reconnectCommand,
  signInCommand,
  copyTextCommand,
  statusBarMenuCommand,
  diagnoseCommand,
  enableExecCommand,
];

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return COMMANDS.map((command) =>
    registerCommand(context.services.log, command.id, (...args) => command.run(context, ...args)),
  );
}

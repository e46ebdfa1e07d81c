// "Copy SSH Command": writes the container's Host block (asking once before the first edit of
// the ssh config) and copies `ssh <alias>` for a terminal, scp or any other tool.

import * as vscode from 'vscode';

import { sshCommandLine } from '../connect/connectPlan.js';
import type { EcsNode } from '../model/nodes.js';
import { defaultConfigPath } from '../ssh/index.js';
import { writeHostBlockFor } from '../ui/hostBlockStep.js';
import { requestForNode } from '../ui/nodeRequest.js';
import { pickTarget } from '../ui/targetPicker.js';
import type { EcsCommand } from './command.js';

export const copySshCommandCommand: EcsCommand = {
  id: 'ecsRemote.copySshCommand',
  run: async ({ services }, node?: EcsNode) => {
    const request =
      (node && (await requestForNode(services, node))) ?? (await pickTarget(services));
    const plan = await writeHostBlockFor(services, request);
    const configPath = services.settings().sshConfigFile;
    const line = sshCommandLine(plan.entry.alias, configPath, defaultConfigPath());
    await vscode.env.clipboard.writeText(line);
    services.log.info(`Copied the ssh command for ${plan.entry.alias}`);
    void vscode.window.showInformationMessage(`Copied "${line}" to the clipboard.`);
  },
};

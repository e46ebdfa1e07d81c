// Before the first edit of a user's ssh config: ask once, naming the file. A file that already
// holds our marked block (written by the CLI, or before) was agreed to already.

import * as vscode from 'vscode';

import { CancelledError } from '../connect/userError.js';
import { readManagedHosts } from '../ssh/index.js';

const AGREED_KEY = 'ecsRemote.sshConfigAgreed';
const EDIT = 'Edit SSH Config';

export async function ensureSshConfigConsent(
  state: vscode.Memento,
  configPath: string,
): Promise<void> {
  const agreed = state.get<string[]>(AGREED_KEY, []);
  if (agreed.includes(configPath)) return;
  if ((await readManagedHosts(configPath)).length === 0) {
    const choice = await vscode.window.showInformationMessage(
      `Add ECS Remote SSH's Host entries to "${configPath}"?`,
      {
        modal: true,
        detail:
          'Remote-SSH and ssh read this file. ECS Remote SSH writes one marked block of Host ' +
          'entries at its top and leaves every other line as it is. You are asked once.',
      },
      EDIT,
    );
    if (choice !== EDIT) throw new CancelledError();
  }
  await state.update(AGREED_KEY, [...agreed, configPath]);
}

// Which Remote-SSH is installed (Microsoft's, open-remote-ssh for VSCodium and others, Cursor's,
// or any extension that resolves `ssh-remote` authorities) and opening a window through it.
// All of them resolve `ssh-remote+<alias>`, so the window is opened the same way for each.

import * as vscode from 'vscode';

import { UserError } from '../connect/userError.js';

export interface RemoteSshFlavour {
  id: string;
  name: string;
}

export const FLAVOURS: readonly RemoteSshFlavour[] = [
  { id: 'ms-vscode-remote.remote-ssh', name: 'Remote - SSH' },
  { id: 'jeanp413.open-remote-ssh', name: 'Open Remote - SSH' },
  { id: 'anysphere.remote-ssh', name: 'Remote-SSH (Cursor)' },
];

const RESOLVER_EVENT = 'onResolveRemoteAuthority:ssh-remote';

export function detectRemoteSsh(): RemoteSshFlavour | undefined {
  const known = FLAVOURS.find((flavour) => vscode.extensions.getExtension(flavour.id));
  if (known) return known;
  const other = vscode.extensions.all.find((extension) => {
    const events: unknown = extension.packageJSON?.activationEvents;
    return Array.isArray(events) && events.includes(RESOLVER_EVENT);
  });
  if (!other) return undefined;
  return { id: other.id, name: String(other.packageJSON?.displayName ?? other.id) };
}

/** The Remote-SSH this editor's marketplace offers. */
export function suggestedFlavour(): RemoteSshFlavour {
  const app = `${vscode.env.appName} ${vscode.env.uriScheme}`.toLowerCase();
  if (app.includes('cursor')) return FLAVOURS[2];
  if (app.includes('visual studio code')) return FLAVOURS[0];
  return FLAVOURS[1];
}

export function requireRemoteSsh(): RemoteSshFlavour {
  const flavour = detectRemoteSsh();
  if (flavour) return flavour;
  const suggested = suggestedFlavour();
  throw new UserError(
    'REMOTE_SSH_MISSING',
    `Connecting needs the "${suggested.name}" extension (${suggested.id}), which is not ` +
      `installed. Install it, then connect again.`,
    {
      title: `Install ${suggested.name}`,
      command: 'workbench.extensions.installExtension',
      args: [suggested.id],
    },
  );
}

/** `vscode.newWindow` with the remote authority, or `vscode.openFolder` when a folder is set. */
export async function openRemoteWindow(
  authority: string,
  folder: string,
  newWindow: boolean,
): Promise<void> {
  if (folder) {
    const path = folder.startsWith('/') ? folder : `/${folder}`;
    const uri = vscode.Uri.from({ scheme: 'vscode-remote', authority, path });
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: newWindow });
    return;
  }
  await vscode.commands.executeCommand('vscode.newWindow', {
    remoteAuthority: authority,
    reuseWindow: !newWindow,
  });
}

// The connections this editor opened, by alias, in global state: the status bar of a connected
// window reads its own, other windows offer the last one. An empty remote window has no folder
// to read its authority from, so the window that opens it leaves a note the new window claims.

import * as vscode from 'vscode';

import { aliasOfAuthority, type ConnectPlan, type ConnectRequest } from '../connect/connectPlan.js';

export interface ConnectionRecord {
  alias: string;
  authority: string;
  request: ConnectRequest;
  /** The task the connect reached (for a service: its task at that moment). */
  taskId?: string;
  /** Epoch milliseconds. */
  openedAt: number;
}

const HISTORY_KEY = 'ecsRemote.connections';
const LAST_KEY = 'ecsRemote.lastConnection';
const CLAIM_KEY = 'ecsRemote.windowAlias';
const MAX_RECORDS = 30;
/** How long a note for an empty window waits to be claimed. */
const CLAIM_WINDOW_MS = 120_000;

export async function rememberConnection(
  state: vscode.Memento,
  plan: ConnectPlan,
  taskId: string | undefined,
): Promise<void> {
  const record: ConnectionRecord = {
    alias: plan.entry.alias,
    authority: plan.authority,
    request: plan.request,
    taskId,
    openedAt: Date.now(),
  };
  const history = state.get<ConnectionRecord[]>(HISTORY_KEY, []);
  const rest = history.filter((entry) => entry.alias !== record.alias);
  await state.update(HISTORY_KEY, [record, ...rest].slice(0, MAX_RECORDS));
  await state.update(LAST_KEY, record.alias);
}

export function findConnection(state: vscode.Memento, alias: string): ConnectionRecord | undefined {
  return state.get<ConnectionRecord[]>(HISTORY_KEY, []).find((entry) => entry.alias === alias);
}

/** Every connection kept, newest first. */
export function recentConnections(state: vscode.Memento): ConnectionRecord[] {
  return state.get<ConnectionRecord[]>(HISTORY_KEY, []);
}

export function lastConnection(state: vscode.Memento): ConnectionRecord | undefined {
  const alias = state.get<string>(LAST_KEY);
  return alias ? findConnection(state, alias) : undefined;
}

/** The alias this window is connected to, when it is one of ours. */
export async function currentAlias(
  global: vscode.Memento,
  workspace: vscode.Memento,
): Promise<string | undefined> {
  if (vscode.env.remoteName !== 'ssh-remote') return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder?.scheme === 'vscode-remote') return aliasOfAuthority(folder.authority);

  const claimed = workspace.get<string>(CLAIM_KEY);
  if (claimed) return claimed;
  const last = lastConnection(global);
  if (!last || Date.now() - last.openedAt > CLAIM_WINDOW_MS) return undefined;
  await workspace.update(CLAIM_KEY, last.alias);
  return last.alias;
}

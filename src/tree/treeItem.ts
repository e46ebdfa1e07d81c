// A TreeItem for one node, built when VS Code asks for it: label, description, codicon,
// contextValue from the vocabulary, and the click of state rows. Tooltips come later, in
// resolveTreeItem.

import * as vscode from 'vscode';

import { contextValueOf } from '../model/contextValues.js';
import type { EcsNode } from '../model/nodes.js';
import { rowText } from '../model/presentation.js';

export function buildTreeItem(node: EcsNode): vscode.TreeItem {
  const text = rowText(node);
  const item = new vscode.TreeItem(text.label, collapsibleState(node, text.expandable));
  item.id = node.id;
  item.description = text.description;
  const color = text.iconColor ? new vscode.ThemeColor(text.iconColor) : undefined;
  item.iconPath = new vscode.ThemeIcon(text.icon, color);
  item.contextValue = contextValueOf(node);
  item.command = clickOf(node);
  return item;
}

function collapsibleState(node: EcsNode, expandable: boolean): vscode.TreeItemCollapsibleState {
  if (!expandable) return vscode.TreeItemCollapsibleState.None;
  return node.kind === 'scope'
    ? vscode.TreeItemCollapsibleState.Expanded
    : vscode.TreeItemCollapsibleState.Collapsed;
}

function clickOf(node: EcsNode): vscode.Command | undefined {
  if (node.kind === 'error') {
    return { title: 'Show Logs', command: 'ecsRemote.showLogs' };
  }
  if (node.kind === 'credentials' && node.signInCommand) {
    return { title: 'Sign In', command: 'ecsRemote.signIn', arguments: [node.signInCommand] };
  }
  if (node.kind === 'credentials') {
    return { title: 'Select AWS Profile and Region', command: 'ecsRemote.selectProfile' };
  }
  return undefined;
}

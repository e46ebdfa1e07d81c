// Walking the extension's tree the way the view does: children from the provider, TreeItems
// from getTreeItem, matched by label.

import * as vscode from 'vscode';

import type { EcsRemoteApi } from '../../../src/extension.js';
import type { EcsNode } from '../../../src/model/nodes.js';

export const EXTENSION_ID = 'ecs-remote.ecs-remote-ssh';

export async function activateExtension(): Promise<EcsRemoteApi> {
  const extension = vscode.extensions.getExtension<EcsRemoteApi>(EXTENSION_ID);
  if (!extension)
    throw new Error(
      `${EXTENSION_ID} is not loaded: ${vscode.extensions.all
        .map((e) => e.id)
        .filter((id) => !id.startsWith('vscode.'))
        .join(', ')}`,
    );
  return extension.activate();
}

export interface Row {
  node: EcsNode;
  item: vscode.TreeItem;
  label: string;
}

export async function rows(api: EcsRemoteApi, parent?: EcsNode): Promise<Row[]> {
  const children = (await api.tree.getChildren(parent)) ?? [];
  return Promise.all(
    children.map(async (node) => {
      const item = await api.tree.getTreeItem(node);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      return { node, item, label };
    }),
  );
}

export async function child(api: EcsRemoteApi, parent: EcsNode | undefined, label: string) {
  const all = await rows(api, parent);
  const found = all.find((row) => row.label === label || row.label.startsWith(label));
  if (!found) {
    throw new Error(
      `No row "${label}" under ${parent?.id ?? 'the root'}: ${all.map((r) => r.label).join(', ')}`,
    );
  }
  return found;
}

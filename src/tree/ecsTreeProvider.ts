// The ECS view's data provider: children come from the pure tree model, TreeItems are built on
// demand, tooltips are resolved when the pointer rests on a row. Refresh is scoped to the node
// that changed and debounced.

import * as vscode from 'vscode';

import type { EcsNode } from '../model/nodes.js';
import { tooltipText } from '../model/presentation.js';
import type { EcsTreeModel } from '../model/treeModel.js';
import { buildTreeItem } from './treeItem.js';

const DEBOUNCE_MS = 200;

export class EcsTreeProvider implements vscode.TreeDataProvider<EcsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EcsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The newest node object for each id: VS Code matches refreshes by the object it holds. */
  private readonly known = new Map<string, EcsNode>();
  private pending = new Set<string | undefined>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly model: EcsTreeModel) {}

  async getChildren(node?: EcsNode): Promise<EcsNode[]> {
    const children = await this.model.children(node);
    for (const child of children) this.known.set(child.id, child);
    return children;
  }

  getTreeItem(node: EcsNode): vscode.TreeItem {
    return buildTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: EcsNode): vscode.TreeItem {
    item.tooltip = new vscode.MarkdownString(tooltipText(node));
    return item;
  }

  /** Loads `node`'s children again (the whole tree without one), after a short pause that
   * merges bursts of requests. */
  refresh(node?: EcsNode): void {
    this.pending.add(node?.id);
    this.timer ??= setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  node(id: string): EcsNode | undefined {
    return this.known.get(id);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }

  private flush(): void {
    this.timer = undefined;
    const ids = this.pending;
    this.pending = new Set();
    if (ids.has(undefined)) {
      this.changed.fire(undefined);
      return;
    }
    for (const id of ids) {
      const node = id === undefined ? undefined : this.known.get(id);
      if (node) this.changed.fire(node);
    }
  }
}

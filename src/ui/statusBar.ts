// The status bar item. In a window connected to one of our aliases: the service or task and the
// container, a tooltip with cluster, task, profile and region, and a click that offers
// reconnect and the log. In other windows: "Reconnect to last ECS container" when there is one.

import * as vscode from 'vscode';

import { describeTasks } from '../aws/inventory.js';
import { scopeLabel } from '../model/nodes.js';
import { shortTaskId } from '../model/presentation.js';
import {
  currentAlias,
  findConnection,
  lastConnection,
  type ConnectionRecord,
} from './connectionHistory.js';
import type { Services } from './services.js';

export class EcsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  /** The connection this window shows, when it is connected to one of ours. */
  current: ConnectionRecord | undefined;
  private visible = false;

  constructor(private readonly services: Services) {
    this.item.name = 'ECS Remote SSH';
  }

  async update(): Promise<void> {
    const { globalState, workspaceState } = this.services.context;
    const alias = await currentAlias(globalState, workspaceState);
    this.current = alias ? findConnection(globalState, alias) : undefined;
    if (this.current) {
      this.showConnected(this.current);
      void this.checkTask(this.current);
      return;
    }
    const last = lastConnection(globalState);
    if (last) return this.showReconnect(last);
    this.visible = false;
    this.item.hide();
  }

  /** Marks trouble until the next update. */
  private warn(reason: string): void {
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.tooltip = new vscode.MarkdownString(
      `${reason}  \n\n[Reconnect](command:ecsRemote.reconnect)`,
    );
    this.item.tooltip.isTrusted = { enabledCommands: ['ecsRemote.reconnect'] };
  }

  /** A connected window whose pinned task has stopped turns to the warning colour. */
  private async checkTask(record: ConnectionRecord): Promise<void> {
    const [kind, id] = record.request.target.split('/');
    if (kind !== 'task') return;
    const { ecs } = this.services.clients(record.request.scope);
    try {
      const [task] = await describeTasks(ecs, record.request.cluster, [id]);
      if (task?.lastStatus === 'RUNNING') return;
      const status = task?.lastStatus ?? 'gone';
      this.warn(`Task ${shortTaskId(id)} is ${status}. Reconnect follows its service, if any.`);
    } catch (error) {
      this.services.log.debug(`Status check of task ${id}: ${(error as Error).name}`);
    }
  }

  /** What the item shows now; read by the editor tests. */
  snapshot(): StatusSnapshot {
    const tooltip = this.item.tooltip;
    return {
      visible: this.visible,
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      command:
        typeof this.item.command === 'string' ? this.item.command : this.item.command?.command,
    };
  }

  dispose(): void {
    this.item.dispose();
  }

  private showConnected(record: ConnectionRecord): void {
    const { request } = record;
    this.item.text = `$(remote) ${targetLabel(record)} · ${request.container}`;
    this.item.tooltip = tooltip(record, [
      '[Reconnect](command:ecsRemote.reconnect)',
      '[Show Logs](command:ecsRemote.showLogs)',
    ]);
    this.item.command = 'ecsRemote.statusBarMenu';
    this.item.backgroundColor = undefined;
    this.visible = true;
    this.item.show();
  }

  private showReconnect(record: ConnectionRecord): void {
    this.item.text = '$(plug) Reconnect to last ECS container';
    this.item.tooltip = tooltip(record, ['[Reconnect](command:ecsRemote.reconnect)']);
    this.item.command = 'ecsRemote.reconnect';
    this.item.backgroundColor = undefined;
    this.visible = true;
    this.item.show();
  }
}

export interface StatusSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  command: string | undefined;
}

export function targetLabel(record: ConnectionRecord): string {
  const [kind, name] = record.request.target.split('/');
  return kind === 'task' ? `task ${shortTaskId(name)}` : name;
}

function tooltip(record: ConnectionRecord, links: string[]): vscode.MarkdownString {
  const { request } = record;
  const facts = [
    `**ECS: ${targetLabel(record)} · ${request.container}**`,
    `Cluster: \`${request.cluster}\``,
    `Target: \`${request.target}\``,
    ...(record.taskId ? [`Task: \`${record.taskId}\``] : []),
    `Profile and region: ${scopeLabel(request.scope)}`,
    `Host: \`${record.alias}\``,
  ];
  const text = new vscode.MarkdownString(`${facts.join('  \n')}\n\n${links.join(' · ')}`);
  text.isTrusted = { enabledCommands: ['ecsRemote.reconnect', 'ecsRemote.showLogs'] };
  return text;
}

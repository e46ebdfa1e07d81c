// What each row says: label, description, codicon, and a tooltip built only when the pointer
// rests on the row. Pure, so tests read the same words the tree shows.

import { containerExecState, taskExecState } from './execState.js';
import type { CheckResult } from '../diagnose/checkResult.js';
import { escapeMarkdown } from '../diagnose/renderReport.js';
import { scopeLabel, type EcsNode, type FoundBy, type TaskSummary } from './nodes.js';
import { rowProblem } from './taskProblems.js';

export interface RowText {
  label: string;
  description?: string;
  /** A codicon id, e.g. `server-process`. */
  icon: string;
  /** A theme colour id for the icon, e.g. `errorForeground`. */
  iconColor?: string;
  expandable: boolean;
}

export function rowText(node: EcsNode, now = Date.now()): RowText {
  switch (node.kind) {
    case 'scope':
      return { label: scopeLabel(node.scope), icon: 'account', expandable: true };
    case 'cluster':
      return marked(
        {
          label: node.cluster.name,
          description: `${node.cluster.runningTasks} running`,
          icon: 'server-environment',
          expandable: true,
        },
        node.cluster.problems,
      );
    case 'service':
      return {
        label: node.service.name,
        description: `${node.service.runningCount}/${node.service.desiredCount} running`,
        icon: 'layers',
        expandable: true,
      };
    case 'standalone':
      return { label: 'Standalone tasks', icon: 'layers-dot', expandable: true };
    case 'task':
      return taskRow(node.task, now);
    case 'container':
      return containerRow(node);
    case 'error':
      return { label: node.what, icon: 'error', iconColor: 'errorForeground', expandable: false };
    case 'empty':
      return marked(
        { label: node.what, icon: 'info', expandable: false },
        node.problem && [node.problem],
      );
    case 'credentials':
      return {
        label: node.signInCommand ? 'Sign in to AWS' : 'Select an AWS profile',
        description: node.problem === 'expired' ? 'session expired' : 'no credentials',
        icon: 'key',
        iconColor: 'list.warningForeground',
        expandable: false,
      };
  }
}

function taskRow(task: TaskSummary, now: number): RowText {
  const exec = taskExecState(task);
  const age = task.startedAt ? ` · ${formatAge(now - task.startedAt)}` : '';
  return marked(
    {
      label: shortTaskId(task.id),
      description: `${task.lastStatus}${age} · ${exec.short}`,
      icon: exec.ok ? 'vm-running' : 'vm-outline',
      iconColor: exec.ok ? undefined : 'disabledForeground',
      expandable: true,
    },
    task.problems,
  );
}

function containerRow(node: Extract<EcsNode, { kind: 'container' }>): RowText {
  const exec = containerExecState(node.task, node.container);
  const image = node.container.image ? `${shortImage(node.container.image)} · ` : '';
  return marked(
    {
      label: node.container.name,
      description: `${image}${exec.short}`,
      icon: exec.ok ? 'package' : 'circle-slash',
      iconColor: exec.ok ? undefined : 'disabledForeground',
      expandable: false,
    },
    node.container.problems,
  );
}

/** A row with a problem the checks found: the warning icon, and the check's name at the end. */
function marked(row: RowText, found: CheckResult[] | undefined): RowText {
  const problem = rowProblem(found);
  if (!problem) return row;
  const color = problem.outcome === 'fail' ? 'list.errorForeground' : 'list.warningForeground';
  const description = `${row.description} · ${problem.title}: ${problem.outcome}`;
  return { ...row, icon: 'warning', iconColor: color, description };
}

/** Tooltip lines for each problem: what was found and the fix; "?" for what could not be
 * checked. Then where earlier findings came from. */
function problemLines(
  found: CheckResult[] | undefined,
  foundBy?: FoundBy,
  now = Date.now(),
): string[] {
  // Escaped: a message can quote a container's output, which must not become a link or image.
  const lines = (found ?? []).map((p) => {
    const mark = p.outcome === 'unknown' ? '?' : '⚠';
    const fix = p.fix ? ` Fix: ${escapeMarkdown(p.fix)}` : '';
    return `${mark} **${escapeMarkdown(p.title)}** (${p.code}): ${escapeMarkdown(p.message)}${fix}`;
  });
  if (foundBy) {
    lines.push(`_Some of this was found by ${foundBy.source} ${formatAge(now - foundBy.at)} ago._`);
  }
  return lines;
}

/** Markdown for the tooltip; plain lines, values in backticks. */
export function tooltipText(node: EcsNode, now = Date.now()): string {
  const lines = tooltipLines(node, now);
  return lines.join('  \n');
}

function tooltipLines(node: EcsNode, now: number): string[] {
  switch (node.kind) {
    case 'scope':
      return [
        `**${scopeLabel(node.scope)}**`,
        `Profile: \`${node.scope.profile ?? 'default chain'}\``,
      ];
    case 'cluster':
      return [
        `**Cluster ${node.cluster.name}**`,
        `Status: ${node.cluster.status}`,
        `${node.cluster.activeServices} services, ${node.cluster.runningTasks} running tasks`,
        ...problemLines(node.cluster.problems),
      ];
    case 'service':
      return [
        `**Service ${node.service.name}**`,
        `Task definition: \`${node.service.taskDefinition}\``,
        `ECS Exec for new tasks: ${node.service.execEnabled ? 'on' : 'off'}`,
      ];
    case 'standalone':
      return [`Tasks in cluster \`${node.clusterName}\` that no service started`];
    case 'task':
      return taskTooltip(node.task, now);
    case 'container':
      return [
        `**Container ${node.container.name}**`,
        `Image: \`${node.container.image ?? 'unknown'}\``,
        `Status: ${node.container.lastStatus}`,
        `Exec agent: ${node.container.agentStatus ?? 'none'}`,
        containerExecState(node.task, node.container).detail,
        ...problemLines(node.container.problems, node.container.foundBy, now),
      ];
    case 'error':
      return [`**${node.what}**`, `${node.code}: ${node.message}`, 'Click to open the log.'];
    case 'empty':
      return [node.what, ...problemLines(node.problem && [node.problem])];
    case 'credentials':
      return [
        ...(node.check ? problemLines([node.check]) : [node.message]),
        node.signInCommand ? `Click to run \`${node.signInCommand}\`.` : '',
      ];
  }
}

function taskTooltip(task: TaskSummary, now: number): string[] {
  return [
    `**Task ${task.id}**`,
    `Task definition: \`${task.taskDefinition}\``,
    `Status: ${task.lastStatus} (desired ${task.desiredStatus})`,
    task.startedAt ? `Started ${formatAge(now - task.startedAt)} ago` : 'Not started',
    task.launchType ? `Launch type: ${task.launchType}` : '',
    taskExecState(task).detail,
    ...problemLines(task.problems, task.foundBy, now),
  ].filter((line) => line !== '');
}

export function shortTaskId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}

/** `nginx:1.27` out of `123.dkr.ecr.eu-west-1.amazonaws.com/team/nginx:1.27`. */
export function shortImage(image: string): string {
  return image.split('/').pop() ?? image;
}

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return '<1m';
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

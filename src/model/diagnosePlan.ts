// What Diagnose Connection works on and what it offers afterwards, as plain data: the target of
// a task or container row, of a recent connection, or of a request from the quick picks; where
// its results are kept for the tree; and the fixes the results carry, each once. Pure, so
// plain-node tests read the same decisions the command makes.

import type { Task } from '@aws-sdk/client-ecs';

import { targetOfRequest, type ConnectRequest } from '../connect/connectPlan.js';
import type { CheckResult, FixAction } from '../diagnose/checkResult.js';
import type { DiagnoseTarget } from '../diagnose/diagnose.js';
import { shortTaskId } from './presentation.js';
import type { FindingsKey } from './findings.js';
import {
  lastSegment,
  scopeLabel,
  type ContainerSummary,
  type EcsNode,
  type Scope,
  type TaskSummary,
} from './nodes.js';
import { formatAge } from './presentation.js';

export interface DiagnosePlan {
  scope: Scope;
  target: DiagnoseTarget;
  /** For the report's heading, e.g. `app in task 4f1c2b9a`. */
  subject: string;
}

/**
 * The plan for a task or container row. A diagnosis checks one container, as a connection
 * would: a container row's, a task's only one, or `container` when the task has several (the
 * command asks which; see containersToAsk). Undefined for other rows, or when it must ask.
 */
export function diagnosePlanForNode(node: EcsNode, container?: string): DiagnosePlan | undefined {
  if (node.kind !== 'task' && node.kind !== 'container') return undefined;
  const name =
    node.kind === 'container' ? node.container.name : (container ?? onlyContainer(node.task));
  if (!name) return undefined;
  const task = `task ${shortTaskId(node.task.id)}`;
  return {
    scope: node.scope,
    target: {
      profile: node.scope.profile,
      region: node.scope.region,
      cluster: node.clusterName,
      target: { kind: 'task', taskId: node.task.id },
      container: name,
    },
    subject: `${name} in ${task}`,
  };
}

/** A task row's containers to choose from, when it has more than one. */
export function containersToAsk(node: EcsNode): ContainerSummary[] {
  if (node.kind !== 'task' || node.task.containers.length < 2) return [];
  return node.task.containers;
}

function onlyContainer(task: TaskSummary): string | undefined {
  return task.containers.length === 1 ? task.containers[0].name : undefined;
}

export function diagnosePlanForRequest(request: ConnectRequest): DiagnosePlan {
  return {
    scope: request.scope,
    target: targetOfRequest(request),
    subject: `${request.container} in ${request.target}`,
  };
}

export interface FixOffer {
  /** The button. */
  title: string;
  action: FixAction;
}

/** The fixes we can carry out, one button each, in the order the results name them. */
export function fixOffers(results: CheckResult[]): FixOffer[] {
  const offers = new Map<string, FixOffer>();
  for (const result of results) {
    const action = result.action;
    if (!action || result.outcome === 'pass' || result.outcome === 'skip') continue;
    const title =
      action.kind === 'enableExecAndRedeploy' ? 'Enable ECS Exec and Redeploy' : 'Sign In';
    offers.set(title, { title, action });
  }
  return [...offers.values()];
}

/**
 * Where a diagnosis of `plan` that looked at `task` is kept for the tree: under the container it
 * probed (the one named, else the task's first, as the runner does).
 */
export function findingsKeyFor(plan: DiagnosePlan, task: Task): FindingsKey {
  return {
    scope: plan.scope,
    cluster: plan.target.cluster,
    taskId: lastSegment(task.taskArn ?? ''),
    container: plan.target.container ?? task.containers?.[0]?.name,
  };
}

/** A connection this editor opened, as the connection history keeps it. */
export interface RecentConnection {
  alias: string;
  request: ConnectRequest;
  /** Epoch milliseconds. */
  openedAt: number;
}

export interface DiagnoseChoice {
  label: string;
  description?: string;
  detail?: string;
  /** Absent for the choice that picks a target step by step. */
  plan?: DiagnosePlan;
}

const MAX_RECENT = 5;

/**
 * The palette's first step: this window's connection, then the last ones this editor opened,
 * newest first, then picking a target step by step. Empty when there is nothing recent, so the
 * command goes straight to the picks.
 */
export function diagnoseChoices(
  stored: unknown[],
  currentAlias: string | undefined,
  now = Date.now(),
): DiagnoseChoice[] {
  const recent = usableConnections(stored);
  if (recent.length === 0) return [];
  const isCurrent = (r: RecentConnection) => currentAlias !== undefined && r.alias === currentAlias;
  const current = recent.filter(isCurrent);
  const others = recent.filter((r) => !isCurrent(r)).sort((a, b) => b.openedAt - a.openedAt);
  const choices = [...current, ...others].slice(0, MAX_RECENT).map((connection) => {
    const { request } = connection;
    const where = `cluster ${request.cluster} · ${scopeLabel(request.scope)}`;
    const here = isCurrent(connection);
    const age =
      connection.openedAt > 0 ? ` ${formatAge(now - connection.openedAt)} ago` : ' earlier';
    const when = here ? 'This window' : `Connected${age}`;
    return {
      label: `$(${here ? 'remote' : 'history'}) ${request.container} in ${request.target}`,
      description: where,
      detail: `${when} · ${connection.alias}`,
      plan: diagnosePlanForRequest(request),
    };
  });
  return [...choices, { label: '$(list-tree) Choose a container…' }];
}

/**
 * The stored history as far as it can be used: entries with an alias and a complete request
 * (an older version or a hand edit may have left others), each alias once, newest kept.
 */
export function usableConnections(stored: unknown[]): RecentConnection[] {
  const byAlias = new Map<string, RecentConnection>();
  for (const entry of Array.isArray(stored) ? stored : []) {
    const connection = usable(entry);
    const held = connection && byAlias.get(connection.alias);
    if (connection && (!held || held.openedAt < connection.openedAt)) {
      byAlias.set(connection.alias, connection);
    }
  }
  return [...byAlias.values()];
}

function usable(entry: unknown): RecentConnection | undefined {
  const record = entry as Partial<RecentConnection> | undefined;
  const request = record?.request as Partial<ConnectRequest> | undefined;
  const text = (value: unknown) => typeof value === 'string' && value !== '';
  if (!record || !text(record.alias) || !request) return undefined;
  if (![request.cluster, request.target, request.container].every(text)) return undefined;
  if (!request.scope || !text(request.scope.region)) return undefined;
  const openedAt = Number.isFinite(record.openedAt) ? (record.openedAt as number) : 0;
  return { alias: record.alias as string, request: request as ConnectRequest, openedAt };
}

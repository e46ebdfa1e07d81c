// The closed vocabulary of TreeItem.contextValue. package.json's menus match these words and
// nothing else: `<kind>` for every row, with `.connectable` when Connect applies,
// `.refreshable` when the row has children to load again, and `.fixable` when "Enable ECS Exec
// and Redeploy" fixes it (a service with exec off, a task that started before exec was on).

import type { FixAction } from '../diagnose/checkResult.js';
import { isTaskConnectable, containerExecState } from './execState.js';
import type { EcsNode, TaskSummary } from './nodes.js';

export const ContextValue = {
  scope: 'scope.refreshable',
  cluster: 'cluster.refreshable',
  service: 'service.refreshable.connectable',
  serviceNoExec: 'service.refreshable.fixable',
  standalone: 'standalone.refreshable',
  task: 'task.refreshable.connectable',
  taskNoExec: 'task.refreshable',
  taskFixable: 'task.refreshable.fixable',
  container: 'container.connectable',
  containerNoExec: 'container',
  error: 'error',
  empty: 'empty',
  credentials: 'credentials',
} as const;

export type ContextValueWord = (typeof ContextValue)[keyof typeof ContextValue];

export function contextValueOf(node: EcsNode): ContextValueWord {
  switch (node.kind) {
    case 'scope':
      return ContextValue.scope;
    case 'cluster':
      return ContextValue.cluster;
    case 'service':
      return node.service.execEnabled ? ContextValue.service : ContextValue.serviceNoExec;
    case 'standalone':
      return ContextValue.standalone;
    case 'task':
      if (isTaskConnectable(node.task)) return ContextValue.task;
      return execFix(node.task) ? ContextValue.taskFixable : ContextValue.taskNoExec;
    case 'container':
      return containerExecState(node.task, node.container).ok
        ? ContextValue.container
        : ContextValue.containerNoExec;
    default:
      return ContextValue[node.kind];
  }
}

type ExecFix = Extract<FixAction, { kind: 'enableExecAndRedeploy' }>;

/** The service whose redeploy with ECS Exec on fixes this task, from what the checks found. */
export function execFix(task: TaskSummary): ExecFix | undefined {
  for (const problem of task.problems ?? []) {
    if (problem.action?.kind === 'enableExecAndRedeploy') return problem.action;
  }
  return undefined;
}

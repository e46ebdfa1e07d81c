// The closed vocabulary of TreeItem.contextValue. package.json's menus match these words and
// nothing else: `<kind>` for every row, with `.connectable` when Connect applies and
// `.refreshable` when the row has children to load again.

import { isTaskConnectable, containerExecState } from './execState.js';
import type { EcsNode } from './nodes.js';

export const ContextValue = {
  scope: 'scope.refreshable',
  cluster: 'cluster.refreshable',
  service: 'service.refreshable.connectable',
  serviceNoExec: 'service.refreshable',
  standalone: 'standalone.refreshable',
  task: 'task.refreshable.connectable',
  taskNoExec: 'task.refreshable',
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
      return isTaskConnectable(node.task) ? ContextValue.task : ContextValue.taskNoExec;
    case 'container':
      return containerExecState(node.task, node.container).ok
        ? ContextValue.container
        : ContextValue.containerNoExec;
    default:
      return ContextValue[node.kind];
  }
}

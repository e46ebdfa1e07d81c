// "Refresh": one row's children (from its inline button or context menu), or the whole tree
// (title bar, palette). Refreshing a profile row or the whole tree drops cached credentials, so
// a new sign-in is used. A manual refresh also asks the deeper checks (IAM simulation) again.

import type { EcsNode } from '../model/nodes.js';
import type { EcsCommand } from './command.js';

export const refreshCommand: EcsCommand = {
  id: 'ecsRemote.refresh',
  run: async ({ services, tree, statusBar }, node?: EcsNode) => {
    if (node && node.kind !== 'error' && node.kind !== 'empty') {
      if (node.kind === 'scope' || node.kind === 'credentials') services.forget(node.scope);
      tree.model.forgetChecks(node.scope);
      tree.provider.refresh(node.kind === 'credentials' ? undefined : node);
      return;
    }
    services.forget();
    tree.model.forgetChecks();
    await services.detectDefaultScope();
    tree.provider.refresh();
    await statusBar.update();
  },
};

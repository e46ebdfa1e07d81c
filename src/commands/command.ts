// The shape of a command: its id and what it does with the extension's shared parts. Every one
// is registered through the one error wrapper (src/ui/commandRunner.ts).

import type { EcsTree } from '../tree/registerTree.js';
import type { Services } from '../ui/services.js';
import type { EcsStatusBar } from '../ui/statusBar.js';

export interface CommandContext {
  services: Services;
  tree: EcsTree;
  statusBar: EcsStatusBar;
}

export interface EcsCommand {
  id: string;
  // Arguments are what VS Code passes: tree nodes, strings from links, or nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(context: CommandContext, ...args: any[]): unknown;
}

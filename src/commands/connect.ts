// "Connect to ECS Container": from a tree row, or through the quick-pick flow from the palette;
// opens a new Remote-SSH window.

import type { EcsNode } from '../model/nodes.js';
import { connect } from '../ui/connectFlow.js';
import { requestForNode } from '../ui/nodeRequest.js';
import { pickTarget } from '../ui/targetPicker.js';
import type { CommandContext, EcsCommand } from './command.js';

export const connectCommand: EcsCommand = {
  id: 'ecsRemote.connect',
  run: (context, node?: EcsNode) => connectFrom(context, node, true),
};

export async function connectFrom(
  { services, statusBar }: CommandContext,
  node: EcsNode | undefined,
  newWindow: boolean,
): Promise<void> {
  const request = (node && (await requestForNode(services, node))) ?? (await pickTarget(services));
  await connect(services, request, { newWindow });
  await statusBar.update();
}

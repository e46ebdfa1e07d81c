// "Connect to ECS Container in Current Window": as Connect, reusing this window.

import type { EcsNode } from '../model/nodes.js';
import type { EcsCommand } from './command.js';
import { connectFrom } from './connect.js';

export const connectInCurrentWindowCommand: EcsCommand = {
  id: 'ecsRemote.connectInCurrentWindow',
  run: (context, node?: EcsNode) => connectFrom(context, node, false),
};

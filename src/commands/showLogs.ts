// "Show Logs": the extension's log channel.

import type { EcsCommand } from './command.js';

export const showLogsCommand: EcsCommand = {
  id: 'ecsRemote.showLogs',
  run: ({ services }) => services.log.show(),
};

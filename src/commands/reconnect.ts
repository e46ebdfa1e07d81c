// "Reconnect to ECS Container": in a connected window, this window's container again (in place);
// elsewhere, the last one (in a new window). When the pinned task is gone and it belonged to a
// service, the service is followed to its current task.

import { UserError } from '../connect/userError.js';
import type { ConnectionRecord } from '../ui/connectionHistory.js';
import { lastConnection } from '../ui/connectionHistory.js';
import { connect } from '../ui/connectFlow.js';
import type { Services } from '../ui/services.js';
import type { EcsCommand } from './command.js';

const TASK_GONE = new Set(['TASK_NOT_FOUND', 'TASK_NOT_RUNNING']);

export const reconnectCommand: EcsCommand = {
  id: 'ecsRemote.reconnect',
  run: async ({ services, statusBar }) => {
    const record = statusBar.current ?? lastConnection(services.context.globalState);
    if (!record) {
      throw new UserError(
        'NO_LAST_CONNECTION',
        'There is no ECS container to reconnect to yet; connect to one first.',
      );
    }
    await reconnect(services, record, statusBar.current === undefined);
    await statusBar.update();
  },
};

export async function reconnect(
  services: Services,
  record: ConnectionRecord,
  newWindow: boolean,
): Promise<void> {
  const { request } = record;
  try {
    await connect(services, request, { newWindow });
  } catch (error) {
    const service = request.serviceName;
    const gone = error instanceof UserError && TASK_GONE.has(error.code);
    if (!gone || !service || request.target.startsWith('service/')) throw error;
    services.log.info(`Task of ${request.target} is gone; following service "${service}"`);
    await connect(services, { ...request, target: `service/${service}` }, { newWindow });
  }
}

// The fix for EXEC_DISABLED that we can carry out: turn ECS Exec on for the service and start a
// new deployment, so its tasks are replaced by ones that have it. The editor asks first, with the
// confirmation below, which names the service and what will happen to its tasks.

import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';

export interface EnableExecRequest {
  cluster: string;
  service: string;
}

export interface Confirmation {
  message: string;
  detail: string;
  /** The verb on the button that goes ahead. */
  button: string;
}

export function enableExecConfirmation(request: EnableExecRequest): Confirmation {
  return {
    message:
      `Enable ECS Exec on service "${request.service}" in cluster "${request.cluster}" and ` +
      `redeploy it?`,
    detail:
      'ECS starts new tasks with ECS Exec on and stops the running ones once the new ones are ' +
      'healthy, as in any deployment. Connect again when the new task is RUNNING.',
    button: 'Enable and Redeploy',
  };
}

/** UpdateService with enableExecuteCommand and forceNewDeployment; resolves to the service ARN. */
export async function enableExecAndRedeploy(
  ecs: ECSClient,
  request: EnableExecRequest,
): Promise<string> {
  const reply = await ecs.send(
    new UpdateServiceCommand({
      cluster: request.cluster,
      service: request.service,
      enableExecuteCommand: true,
      forceNewDeployment: true,
    }),
  );
  return reply.service?.serviceArn ?? request.service;
}

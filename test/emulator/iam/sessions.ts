// What the emulated world's IAM and ECS settings mean for StartSession: the caller needs
// ssm:StartSession on the task and on the document, and a cluster whose ECS Exec configuration
// names a KMS key asks for KMS encryption in the session handshake.

import { ApiError } from '../api-error.js';
import type { EcsState } from '../ecs/state.js';
import type { World } from '../world.js';
import { decide } from './policy.js';
import { callerOf } from './query.js';

/** Throws AccessDeniedException as SSM words it when the world's IAM denies the session. */
export function authorizeStartSession(
  world: World,
  ecs: EcsState | undefined,
  target: string,
  documentName: string,
): void {
  if (!world.iam) return;
  const caller = callerOf(world);
  const region = ecs?.region ?? 'eu-west-1';
  const resources = [
    taskArnOf(ecs, target) ?? target,
    `arn:aws:ssm:${region}::document/${documentName}`,
  ];
  for (const resource of resources) {
    const decision = decide(world.iam, caller, 'ssm:StartSession', resource);
    if (decision === 'allowed') continue;
    const how =
      decision === 'explicitDeny'
        ? 'with an explicit deny in an identity-based policy'
        : 'because no identity-based policy allows the ssm:StartSession action';
    throw new ApiError(
      'AccessDeniedException',
      `User: ${caller} is not authorized to perform: ssm:StartSession on resource: ${resource} ${how}`,
    );
  }
}

/** The KMS key of the cluster an `ecs:` target belongs to, if its ECS Exec configuration has one. */
export function clusterKmsKey(ecs: EcsState | undefined, target: string): string | undefined {
  const cluster = /^ecs:([^_]+)_/.exec(target)?.[1];
  const config = ecs?.cluster(cluster)?.executeCommandConfiguration;
  const key = config?.kmsKeyId;
  return typeof key === 'string' ? key : undefined;
}

function taskArnOf(ecs: EcsState | undefined, target: string): string | undefined {
  const match = /^ecs:([^_]+)_([^_]+)_/.exec(target);
  if (!ecs || !match) return undefined;
  return ecs.arn('task', `${match[1]}/${match[2]}`);
}

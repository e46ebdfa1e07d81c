// Connect's check of the target before it writes anything: the task and container exist and
// ECS Exec can reach the container. An exec agent still starting (a task deployed seconds ago)
// is waited for, bounded, with each wait reported as a step; anything else fails at once.

import type { ECSClient } from '@aws-sdk/client-ecs';

import { parseTargetSpec, type ResolvedTarget } from '../aws/resolveTarget.js';
import { DEFAULT_AGENT_WAIT_MS, resolveWhenReady } from '../diagnose/waitForAgent.js';
import type { ConnectRequest } from './connectPlan.js';

export interface ReachOptions {
  /** Called with each wait: `waiting for the ECS Exec agent in container "app" (PENDING, …)`. */
  onStep: (message: string) => void;
  signal?: AbortSignal;
  /** How long to wait for an agent still starting; default 60 s. */
  agentWaitMs?: number;
}

export function reachTarget(
  ecs: ECSClient,
  request: ConnectRequest,
  options: ReachOptions,
): Promise<ResolvedTarget> {
  return resolveWhenReady(
    ecs,
    request.cluster,
    parseTargetSpec(request.target),
    request.container,
    {
      timeoutMs: options.agentWaitMs ?? DEFAULT_AGENT_WAIT_MS,
      onProgress: options.onStep,
      signal: options.signal,
    },
  );
}

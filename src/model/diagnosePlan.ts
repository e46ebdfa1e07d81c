// What Diagnose Connection works on and what it offers afterwards, as plain data: the target of
// a task or container row (or of a request from the quick picks), and the fixes the results
// carry, each once. Pure, so plain-node tests read the same decisions the command makes.

import { parseTargetSpec } from '../aws/resolveTarget.js';
import type { ConnectRequest } from '../connect/connectPlan.js';
import type { CheckResult, FixAction } from '../diagnose/checkResult.js';
import type { DiagnoseTarget } from '../diagnose/diagnose.js';
import { shortTaskId } from './presentation.js';
import type { EcsNode, Scope } from './nodes.js';

export interface DiagnosePlan {
  scope: Scope;
  target: DiagnoseTarget;
  /** For the report's heading, e.g. `app in task 4f1c2b9a`. */
  subject: string;
}

/** A task row checks every container (none named); a container row checks that container. */
export function diagnosePlanForNode(node: EcsNode): DiagnosePlan | undefined {
  if (node.kind !== 'task' && node.kind !== 'container') return undefined;
  const container = node.kind === 'container' ? node.container.name : undefined;
  const task = `task ${shortTaskId(node.task.id)}`;
  return {
    scope: node.scope,
    target: {
      profile: node.scope.profile,
      region: node.scope.region,
      cluster: node.clusterName,
      target: { kind: 'task', taskId: node.task.id },
      container,
    },
    subject: container ? `${container} in ${task}` : task,
  };
}

export function diagnosePlanForRequest(request: ConnectRequest): DiagnosePlan {
  return {
    scope: request.scope,
    target: {
      profile: request.scope.profile,
      region: request.scope.region,
      cluster: request.cluster,
      target: parseTargetSpec(request.target),
      container: request.container,
      user: request.user,
    },
    subject: `${request.container} in ${request.target}`,
  };
}

export interface FixOffer {
  /** The button. */
  title: string;
  action: FixAction;
}

/** The fixes we can carry out, one button each, in the order the results name them. */
export function fixOffers(results: CheckResult[]): FixOffer[] {
  const offers = new Map<string, FixOffer>();
  for (const result of results) {
    const action = result.action;
    if (!action || result.outcome === 'pass' || result.outcome === 'skip') continue;
    const title =
      action.kind === 'enableExecAndRedeploy' ? 'Enable ECS Exec and Redeploy' : 'Sign In';
    offers.set(title, { title, action });
  }
  return [...offers.values()];
}

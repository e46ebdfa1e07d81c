// What an IAM principal may do, asked of IAM's policy simulator (SimulatePrincipalPolicy). When
// the caller may not simulate, or the principal cannot be found, the answer is "unchecked" with
// the reason: a check then says it could not check, and never guesses.

import {
  GetRoleCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
  type IAMClient,
} from '@aws-sdk/client-iam';

export type Simulation =
  | { status: 'checked'; principal: string; denied: Denial[] }
  | { status: 'unchecked'; principal: string; reason: string };

export interface Denial {
  action: string;
  resource: string;
  decision: string;
}

/** Pages of one answer to follow at most; our questions fit on one. */
const MAX_PAGES = 20;

export async function simulate(
  iam: IAMClient,
  principal: string,
  actions: string[],
  resources: string[] = ['*'],
): Promise<Simulation> {
  try {
    const denied: Denial[] = [];
    const markers = new Set<string>();
    let marker: string | undefined;
    do {
      if (markers.size >= MAX_PAGES) throw pagingError(`more than ${MAX_PAGES} pages`);
      const reply = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: principal,
          ActionNames: actions,
          ResourceArns: resources,
          Marker: marker,
        }),
      );
      denied.push(...(reply.EvaluationResults ?? []).flatMap(denials));
      marker = reply.IsTruncated ? reply.Marker : undefined;
      if (marker !== undefined && markers.has(marker)) throw pagingError('a repeated page marker');
      if (marker !== undefined) markers.add(marker);
    } while (marker);
    return { status: 'checked', principal, denied };
  } catch (error) {
    return { status: 'unchecked', principal, reason: uncheckedReason(error) };
  }
}

/**
 * The denials in one result. IAM now answers one result per action, its decision the most
 * restrictive over all resources, with each resource's own decision in ResourceSpecificResults;
 * it used to answer one result per action and resource. Both are read.
 */
function denials(result: EvaluationResult): Denial[] {
  const action = result.EvalActionName ?? '';
  const specific = result.ResourceSpecificResults ?? [];
  if (specific.length > 0) {
    return specific
      .filter((r) => r.EvalResourceDecision !== 'allowed')
      .map((r) => ({
        action,
        resource: r.EvalResourceName ?? '*',
        decision: r.EvalResourceDecision ?? 'implicitDeny',
      }));
  }
  if (result.EvalDecision === 'allowed') return [];
  return [
    {
      action,
      resource: result.EvalResourceName ?? '*',
      decision: result.EvalDecision ?? 'implicitDeny',
    },
  ];
}

/** Only what concerns `resources`: one task's share of a simulation over many. */
export function forResources(simulation: Simulation, resources: string[]): Simulation {
  if (simulation.status !== 'checked') return simulation;
  const wanted = new Set(resources);
  const concerns = (d: Denial) => wanted.has(d.resource) || d.resource === '*';
  return { ...simulation, denied: simulation.denied.filter(concerns) };
}

/** Asks the simulator; the runner asks IAM each time, the tree through a cache. */
export interface Simulator {
  simulate(principal: string, actions: string[], resources?: string[]): Promise<Simulation>;
  principalForCaller(callerArn: string): Promise<string>;
}

export function directSimulator(iam: IAMClient): Simulator {
  return {
    simulate: (principal, actions, resources) => simulate(iam, principal, actions, resources),
    principalForCaller: (callerArn) => principalForCaller(iam, callerArn),
  };
}

/**
 * A simulator that remembers each answer for `maxAgeMs`. A failure that may pass (throttling,
 * a network error) is not remembered. When IAM refuses to simulate a principal, later questions
 * about that principal get the same "unchecked" without asking, for as long.
 */
export function cachedSimulator(iam: IAMClient, maxAgeMs: number, clock = Date.now): Simulator {
  const answers = new Map<string, { at: number; value: Promise<Simulation> }>();
  const principals = new Map<string, { at: number; value: Promise<string> }>();
  const refused = new Map<string, number>();
  const fresh = <T>(entry: { at: number; value: T } | undefined) =>
    entry && clock() - entry.at <= maxAgeMs ? entry.value : undefined;
  return {
    simulate: async (principal, actions, resources = ['*']) => {
      const refusedAt = refused.get(principal);
      if (refusedAt !== undefined && clock() - refusedAt <= maxAgeMs) {
        return { status: 'unchecked', principal, reason: MAY_NOT_SIMULATE };
      }
      const key = JSON.stringify([principal, actions, resources]);
      let value = fresh(answers.get(key));
      if (!value) {
        value = simulate(iam, principal, actions, resources);
        answers.set(key, { at: clock(), value });
      }
      const answer = await value;
      if (answer.status === 'unchecked') {
        if (answer.reason === MAY_NOT_SIMULATE) refused.set(principal, clock());
        else if (answer.reason !== NO_SUCH_PRINCIPAL) answers.delete(key);
      }
      return answer;
    },
    principalForCaller: (callerArn) => {
      let value = fresh(principals.get(callerArn));
      if (!value) {
        value = principalForCaller(iam, callerArn);
        principals.set(callerArn, { at: clock(), value });
      }
      return value;
    },
  };
}

/** The actions among `actions` that were denied on any resource. */
export function deniedActions(simulation: Simulation, actions: string[]): string[] {
  if (simulation.status !== 'checked') return [];
  const denied = new Set(simulation.denied.map((d) => d.action.toLowerCase()));
  return actions.filter((action) => denied.has(action.toLowerCase()));
}

/**
 * The IAM principal to simulate for a caller ARN from STS: users as they are, an assumed role as
 * its role (with its path, which the assumed-role ARN leaves out, from GetRole when allowed).
 */
export async function principalForCaller(iam: IAMClient, callerArn: string): Promise<string> {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d+):assumed-role\/([^/]+)\//.exec(callerArn);
  if (!assumed) return callerArn;
  const [, partition, account, roleName] = assumed;
  try {
    const reply = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    if (reply.Role?.Arn) return reply.Role.Arn;
  } catch {
    // Without iam:GetRole, the role's ARN without a path is the best we know.
  }
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

const MAY_NOT_SIMULATE = 'your identity may not call iam:SimulatePrincipalPolicy';
export const NO_SUCH_PRINCIPAL = 'IAM does not know that principal';

function pagingError(what: string): Error {
  return Object.assign(new Error(`IAM answered with ${what}`), { name: 'EndlessPaging' });
}

function uncheckedReason(error: unknown): string {
  const name = (error as Error).name ?? 'Error';
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return MAY_NOT_SIMULATE;
  }
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') {
    return NO_SUCH_PRINCIPAL;
  }
  return `the policy simulation failed (${name})`;
}

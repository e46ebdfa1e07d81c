// What an IAM principal may do, asked of IAM's policy simulator (SimulatePrincipalPolicy). When
// the caller may not simulate, or the principal cannot be found, the answer is "unchecked" with
// the reason: a check then says it could not check, and never guesses.

import {
  GetRoleCommand,
  SimulatePrincipalPolicyCommand,
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

export async function simulate(
  iam: IAMClient,
  principal: string,
  actions: string[],
  resources: string[] = ['*'],
): Promise<Simulation> {
  try {
    const reply = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: principal,
        ActionNames: actions,
        ResourceArns: resources,
      }),
    );
    const denied = (reply.EvaluationResults ?? [])
      .filter((r) => r.EvalDecision !== 'allowed')
      .map((r) => ({
        action: r.EvalActionName ?? '',
        resource: r.EvalResourceName ?? '*',
        decision: r.EvalDecision ?? 'implicitDeny',
      }));
    return { status: 'checked', principal, denied };
  } catch (error) {
    return { status: 'unchecked', principal, reason: uncheckedReason(error) };
  }
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

function uncheckedReason(error: unknown): string {
  const name = (error as Error).name ?? 'Error';
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return 'your identity may not call iam:SimulatePrincipalPolicy';
  }
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') {
    return 'IAM does not know that principal';
  }
  return `the policy simulation failed (${name})`;
}

// Permission checks through IAM's policy simulator: the task role must allow the four
// ssmmessages actions the ECS Exec agent calls, and the caller must be allowed ssm:StartSession
// on the task and on our documents (ecs:ExecuteCommand alone is not enough for us).

import type { CheckResult } from './checkResult.js';
import { SSMMESSAGES_ACTIONS } from './definitionChecks.js';
import { finding, pass, quotedList } from './result.js';
import { deniedActions, NO_SUCH_PRINCIPAL, type Simulation } from './simulation.js';

export const SESSION_DOCUMENTS = ['AWS-StartSSHSession', 'AWS-StartNonInteractiveCommand'];

export function checkTaskRolePermissions(simulation: Simulation): CheckResult {
  const title = 'Task role permissions';
  const role = simulation.principal;
  const fix = `Allow ${SSMMESSAGES_ACTIONS.join(', ')} on "*" in the policy of task role "${role}".`;
  if (simulation.status === 'unchecked' && simulation.reason === NO_SUCH_PRINCIPAL) {
    return finding(
      'fail',
      'TASK_ROLE_MISSING_SSMMESSAGES',
      title,
      `Task role "${role}" does not exist in IAM, so the ECS Exec agent has no credentials ` +
        `to reach Session Manager.`,
      `Create that role with a policy that allows ${SSMMESSAGES_ACTIONS.join(', ')}, or ` +
        `point taskRoleArn at a role that exists, then redeploy.`,
    );
  }
  if (simulation.status === 'unchecked') {
    return finding(
      'unknown',
      'TASK_ROLE_MISSING_SSMMESSAGES',
      title,
      `Could not check what task role "${role}" allows: ${simulation.reason}.`,
      `Ask for iam:SimulatePrincipalPolicy, or check by hand: ${fix}`,
    );
  }
  const denied = deniedActions(simulation, SSMMESSAGES_ACTIONS);
  if (denied.length === 0) {
    return pass(
      'TASK_ROLE_MISSING_SSMMESSAGES',
      title,
      `Task role "${role}" allows the four ssmmessages actions.`,
    );
  }
  return finding(
    'fail',
    'TASK_ROLE_MISSING_SSMMESSAGES',
    title,
    `Task role "${role}" does not allow ${denied.join(', ')}, which the ECS Exec agent needs ` +
      `to reach Session Manager.`,
    fix,
  );
}

export interface SessionResources {
  region: string;
  account: string;
  cluster: string;
  taskArn: string;
}

export function startSessionResources(r: SessionResources): string[] {
  return [r.taskArn, ...SESSION_DOCUMENTS.map((d) => `arn:aws:ssm:${r.region}::document/${d}`)];
}

/** `startSession` simulates ssm:StartSession on the task and documents, `execute` ecs:ExecuteCommand. */
export function checkCallerPermissions(
  simulation: Simulation,
  execute: Simulation,
  resources: SessionResources,
): CheckResult {
  const title = 'Your permission to start sessions';
  const caller = simulation.principal;
  const pattern = `arn:aws:ecs:${resources.region}:${resources.account}:task/${resources.cluster}/*`;
  const fix =
    `Allow your identity ssm:StartSession on "${pattern}" and on the documents ` +
    `${quotedList(SESSION_DOCUMENTS)} (arn:aws:ssm:${resources.region}::document/<name>).`;
  if (simulation.status === 'unchecked') {
    const message = `Could not check whether "${caller}" may start sessions: ${simulation.reason}.`;
    return finding(
      'unknown',
      'START_SESSION_DENIED',
      title,
      message,
      `Ask for iam:SimulatePrincipalPolicy, or check by hand. ${fix}`,
    );
  }
  const denials = simulation.denied.filter((d) => d.action.toLowerCase() === 'ssm:startsession');
  if (denials.length === 0) {
    return pass('START_SESSION_DENIED', title, `"${caller}" may run ssm:StartSession on the task.`);
  }
  const execAllowed = execute.status === 'checked' && execute.denied.length === 0;
  const where = quotedList(denials.map((d) => d.resource));
  const decision = denials.some((d) => d.decision === 'explicitDeny')
    ? 'an explicit deny'
    : 'no allow';
  const why = execAllowed
    ? ', although it may run ecs:ExecuteCommand: the account lets people into tasks only ' +
      'through ECS Exec, and this extension opens sessions to the task directly'
    : '';
  return finding(
    'fail',
    'START_SESSION_DENIED',
    title,
    `"${caller}" may not run ssm:StartSession on ${where} (${decision})${why}.`,
    fix,
  );
}

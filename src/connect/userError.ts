// Failures the user sees: a stable code, a message that says what failed and what to do, and at
// most one action button that does it. Errors of the core keep their own codes; only the action
// is chosen here.

import type { CheckResult } from '../diagnose/checkResult.js';
import { describeError } from '../model/errorText.js';
import { credentialProblem } from '../model/credentialProblem.js';
import type { Scope } from '../model/nodes.js';

export interface ErrorAction {
  title: string;
  /** A command id; the editor layer runs it with `args`. */
  command: string;
  args?: unknown[];
}

export class UserError extends Error {
  override name = 'UserError';

  constructor(
    readonly code: string,
    message: string,
    readonly action?: ErrorAction,
  ) {
    super(message);
  }
}

/** The user dismissed a step: no message at all. */
export class CancelledError extends Error {
  override name = 'CancelledError';

  constructor() {
    super('Cancelled');
  }
}

export const Actions = {
  selectProfile: { title: 'Select Profile', command: 'ecsRemote.selectProfile' },
  openSshConfig: { title: 'Open SSH Config', command: 'ecsRemote.openSshConfig' },
  refresh: { title: 'Refresh', command: 'ecsRemote.refresh' },
  signIn: (signInCommand: string): ErrorAction => ({
    title: 'Sign In',
    command: 'ecsRemote.signIn',
    args: [signInCommand],
  }),
  /** Asks (modal, naming the service), then turns ECS Exec on and redeploys the service. */
  enableExec: (scope: Scope, cluster: string, service: string): ErrorAction => ({
    title: 'Enable ECS Exec and Redeploy',
    command: 'ecsRemote.enableExec',
    args: [scope, cluster, service],
  }),
  /** Runs every check for the connection that failed and opens the report. */
  diagnose: (request: unknown): ErrorAction => ({
    title: 'Diagnose Connection',
    command: 'ecsRemote.diagnose',
    args: [request],
  }),
  copy: (title: string, text: string): ErrorAction => ({
    title,
    command: 'ecsRemote.copyText',
    args: [text],
  }),
} as const;

const SSH_CONFIG_CODES = new Set(['BLOCK_DAMAGED', 'CONFIG_CHANGED', 'LOCK_TIMEOUT']);
const REFRESH_CODES = new Set([
  'TASK_NOT_FOUND',
  'NO_RUNNING_TASK',
  'TASK_NOT_RUNNING',
  'AGENT_NOT_RUNNING',
  'NO_RUNTIME_ID',
  'CONTAINER_NOT_FOUND',
]);

export interface ErrorContext {
  scope?: Scope;
  cluster?: string;
  serviceName?: string;
}

/** Any error as a UserError; CancelledError and AbortError stay as they are. */
export function toUserError(error: unknown, context: ErrorContext = {}): Error {
  if (error instanceof UserError || error instanceof CancelledError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new CancelledError();
  const problem = context.scope ? credentialProblem(error, context.scope) : undefined;
  if (problem) {
    return problem.signInCommand
      ? new UserError('SSO_EXPIRED', problem.message, Actions.signIn(problem.signInCommand))
      : new UserError(
          problem.problem === 'expired' ? 'CREDENTIALS_EXPIRED' : 'NO_CREDENTIALS',
          problem.message,
          Actions.selectProfile,
        );
  }
  const { code, message } = describeError(error);
  return new UserError(code, message, actionFor(code, context));
}

function actionFor(code: string, context: ErrorContext): ErrorAction | undefined {
  if (SSH_CONFIG_CODES.has(code)) return Actions.openSshConfig;
  if (REFRESH_CODES.has(code)) return Actions.refresh;
  if (code === 'EXEC_DISABLED' && context.scope && context.serviceName && context.cluster) {
    return Actions.enableExec(context.scope, context.cluster, context.serviceName);
  }
  return undefined;
}

/**
 * A failure the connection checks explained: their code, sentence and fix, and the button that
 * runs the fix when we can (Enable ECS Exec and Redeploy, Sign In), else Diagnose Connection for
 * the whole report.
 */
export function explainedError(check: CheckResult, scope: Scope, request: unknown): UserError {
  const message = `${check.message}${check.fix ? ` Fix: ${check.fix}` : ''}`;
  const action = check.action;
  if (action?.kind === 'enableExecAndRedeploy') {
    return new UserError(
      check.code,
      message,
      Actions.enableExec(scope, action.cluster, action.service),
    );
  }
  if (action?.kind === 'signIn') {
    return new UserError(check.code, message, Actions.signIn(action.command));
  }
  return new UserError(check.code, message, Actions.diagnose(request));
}

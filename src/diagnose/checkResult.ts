// What one connection check found: a stable code, whether it passed, one sentence saying what
// was found, and the fix. The editor, `ecs-ssh doctor` and the proxy all speak this vocabulary.

export type CheckCode =
  | 'NO_CREDENTIALS'
  | 'SSO_EXPIRED'
  | 'CREDENTIALS_EXPIRED'
  | 'NO_CLUSTERS'
  | 'CLUSTER_NOT_FOUND'
  | 'SERVICE_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'NO_RUNNING_TASK'
  | 'TASK_NOT_RUNNING'
  | 'CONTAINER_NOT_FOUND'
  | 'EXEC_DISABLED'
  | 'FARGATE_PLATFORM_TOO_OLD'
  | 'ECS_AGENT_TOO_OLD'
  | 'AGENT_PENDING'
  | 'AGENT_STOPPED'
  | 'AGENT_MISSING'
  | 'NO_RUNTIME_ID'
  | 'NO_TASK_ROLE'
  | 'TASK_ROLE_MISSING_SSMMESSAGES'
  | 'AWS_KEYS_IN_ENVIRONMENT'
  | 'READONLY_ROOT_FILESYSTEM'
  | 'INIT_PROCESS_OFF'
  | 'SHARED_PID_MODE'
  | 'EXEC_KMS_KEY'
  | 'EXEC_SESSION_LOGGING'
  | 'START_SESSION_DENIED'
  | 'TARGET_NOT_CONNECTED'
  /** The checks could not go on (an AWS error other than the ones they look for). */
  | 'CHECKS_STOPPED'
  | BootstrapCheckCode;

/** The bootstrap script's own codes (src/bootstrap/bootstrap.sh), prefixed. */
export type BootstrapCheckCode = `BOOTSTRAP_${string}`;

/**
 * pass: fine. fail: blocks the connection. warn: may cause trouble, does not block.
 * unknown: could not be checked (never a guess). skip: does not apply here.
 */
export type CheckOutcome = 'pass' | 'fail' | 'warn' | 'unknown' | 'skip';

/** A fix we can carry out ourselves, after the user confirms. */
export type FixAction =
  | { kind: 'enableExecAndRedeploy'; cluster: string; service: string }
  | { kind: 'signIn'; command: string; profile?: string };

export interface CheckResult {
  code: CheckCode;
  /** What the check looks at, e.g. "ECS Exec on the task". */
  title: string;
  outcome: CheckOutcome;
  /** One sentence: what was found. */
  message: string;
  /** What to do about it; absent when the check passed. */
  fix?: string;
  action?: FixAction;
}

export function isBlocking(result: CheckResult): boolean {
  return result.outcome === 'fail';
}

/** The results that need the user's attention: failures, warnings and what could not be checked. */
export function problems(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
}

/** Problem codes in the order that explains a failed connection best: causes before symptoms. */
const CAUSE_ORDER: CheckCode[] = [
  'NO_CREDENTIALS',
  'SSO_EXPIRED',
  'CREDENTIALS_EXPIRED',
  'NO_CLUSTERS',
  'CLUSTER_NOT_FOUND',
  'SERVICE_NOT_FOUND',
  'TASK_NOT_FOUND',
  'NO_RUNNING_TASK',
  'TASK_NOT_RUNNING',
  'CONTAINER_NOT_FOUND',
  'EXEC_DISABLED',
  'FARGATE_PLATFORM_TOO_OLD',
  'ECS_AGENT_TOO_OLD',
  'NO_TASK_ROLE',
  'TASK_ROLE_MISSING_SSMMESSAGES',
  'AWS_KEYS_IN_ENVIRONMENT',
  'READONLY_ROOT_FILESYSTEM',
  'SHARED_PID_MODE',
  'AGENT_PENDING',
  'AGENT_STOPPED',
  'AGENT_MISSING',
  'NO_RUNTIME_ID',
  'START_SESSION_DENIED',
  'EXEC_KMS_KEY',
  'EXEC_SESSION_LOGGING',
  'TARGET_NOT_CONNECTED',
];

/** Why an agent cannot reach Session Manager, when it starts at all. */
const AGENT_CAUSES: CheckCode[] = [
  'FARGATE_PLATFORM_TOO_OLD',
  'ECS_AGENT_TOO_OLD',
  'NO_TASK_ROLE',
  'TASK_ROLE_MISSING_SSMMESSAGES',
  'AWS_KEYS_IN_ENVIRONMENT',
  'READONLY_ROOT_FILESYSTEM',
];

/**
 * Failures that only show that something else is wrong, and what can explain each. A shared pid
 * namespace explains a missing or stopped agent only when it blocks this container; session
 * logging or KMS end a session that started, so they explain a bootstrap without a result, never
 * a target that cannot be reached.
 */
const EXPLAINED_BY: Partial<Record<CheckCode, CheckCode[]>> = {
  TARGET_NOT_CONNECTED: AGENT_CAUSES,
  AGENT_STOPPED: [...AGENT_CAUSES, 'SHARED_PID_MODE'],
  AGENT_MISSING: ['FARGATE_PLATFORM_TOO_OLD', 'ECS_AGENT_TOO_OLD', 'SHARED_PID_MODE'],
  BOOTSTRAP_NO_RESULT: ['EXEC_SESSION_LOGGING', 'EXEC_KMS_KEY', 'READONLY_ROOT_FILESYSTEM'],
};

/** True for failures that only show that something else is wrong. */
export function isSymptom(result: CheckResult): boolean {
  return EXPLAINED_BY[result.code] !== undefined;
}

/** The finding among `results` that best explains `symptom`, if any does. */
export function explanationOf(
  symptom: CheckResult,
  results: CheckResult[],
): CheckResult | undefined {
  const causes = EXPLAINED_BY[symptom.code] ?? [];
  return results
    .filter((r) => causes.includes(r.code) && (r.outcome === 'fail' || r.outcome === 'warn'))
    .filter((r) => r.code !== 'SHARED_PID_MODE' || r.outcome === 'fail')
    .sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * The finding that best explains why a connection fails, or undefined when nothing blocks: the
 * earliest cause among the failures; when that is only a symptom (the agent stopped, the target
 * is not connected), what explains it, if anything does.
 */
export function primaryProblem(results: CheckResult[]): CheckResult | undefined {
  const first = results.filter(isBlocking).sort((a, b) => rank(a) - rank(b))[0];
  if (!first || !isSymptom(first)) return first;
  return explanationOf(first, results) ?? first;
}

function rank(result: CheckResult): number {
  const index = CAUSE_ORDER.indexOf(result.code);
  return index === -1 ? CAUSE_ORDER.length : index;
}

/** A symptom's sentence, short enough to lead a "likely cause" sentence (said only once). */
export function symptomHeadline(symptom: CheckResult): string {
  if (symptom.code === 'TARGET_NOT_CONNECTED')
    return 'Session Manager cannot reach the container (TargetNotConnected)';
  return symptom.message.split('; likely cause: ')[0].replace(/[.\s]+$/, '');
}

/**
 * When a blocking symptom (the target not connected, the agent stopped) has a likelier cause
 * among the results, the symptom says so and carries that cause's fix, so no surface sends the
 * user to fix the network when the container's own AWS keys are to blame.
 */
export function attributeSymptom(results: CheckResult[]): void {
  const symptom = results.find((r) => isBlocking(r) && isSymptom(r));
  const cause = symptom && explanationOf(symptom, results);
  if (!symptom || !cause) return;
  symptom.message = `${symptomHeadline(symptom)}; likely cause: ${cause.message}`;
  symptom.fix = cause.fix;
  if (cause.action) symptom.action = cause.action;
}

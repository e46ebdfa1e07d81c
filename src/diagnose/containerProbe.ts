// The one check that goes into the container: the bootstrap script in probe mode, over a
// Session Manager command session. It proves the target is connected and that we may start
// sessions, then says whether sshd is there or could be installed, without changing anything.

import {
  buildBootstrapCommand,
  DEFAULT_SSHD_PORT,
  parseProbeResult,
} from '../bootstrap/bootstrapCommand.js';
import { runCommand } from '../ssm/connect.js';
import { Documents, type SsmSessions } from '../ssm/ssmSessions.js';
import { BOOTSTRAP_TITLE, bootstrapFailure, looksLikeNoShell } from './bootstrapChecks.js';
import type { CheckResult } from './checkResult.js';
import { finding, pass } from './result.js';

export interface ProbeTarget {
  ssmTarget: string;
  taskId: string;
  containerName: string;
  loginUser: string;
}

const PROBE_TIMEOUT_MS = 120_000;

export const SESSION_TITLE = 'Session to the container';
const START_SESSION_TITLE = 'Your permission to start sessions';

export async function probeContainer(
  sessions: SsmSessions,
  target: ProbeTarget,
): Promise<CheckResult[]> {
  const command = buildBootstrapCommand({
    port: DEFAULT_SSHD_PORT,
    publicKey: '',
    loginUser: target.loginUser,
    mode: 'probe',
  });
  let output: string;
  try {
    const result = await runCommand(sessions, target.ssmTarget, command, {
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    output = `${result.stdout.toString()}\n${result.stderr.toString()}\n${result.closeOutput}`;
  } catch (error) {
    return [sessionFailure(error, target)];
  }
  const reached = `Session Manager reached container "${target.containerName}" and ran the probe.`;
  return [
    pass('TARGET_NOT_CONNECTED', SESSION_TITLE, reached),
    readProbe(output, target.containerName),
    await sshSessionAllowed(sessions, target),
  ];
}

/**
 * The probe ran over AWS-StartNonInteractiveCommand; a connection uses AWS-StartSSHSession, which
 * a policy may treat apart. Starting one (and ending it at once, before any data flows) proves
 * the permission a connection needs, where the policy simulator may not be asked.
 */
async function sshSessionAllowed(sessions: SsmSessions, target: ProbeTarget): Promise<CheckResult> {
  try {
    const credentials = await sessions.start({
      target: target.ssmTarget,
      documentName: Documents.ssh,
      parameters: { portNumber: [String(DEFAULT_SSHD_PORT)] },
    });
    await sessions.terminate(credentials.sessionId).catch(() => undefined);
  } catch (error) {
    return sessionFailure(error, target, Documents.ssh);
  }
  return pass(
    'START_SESSION_DENIED',
    START_SESSION_TITLE,
    `You may start sessions on container "${target.containerName}" with ${Documents.ssh} and ` +
      `${Documents.command}: the probe started both.`,
  );
}

export function readProbe(output: string, container: string): CheckResult {
  const parsed = parseProbeResult(output);
  if (parsed && 'ok' in parsed && !parsed.ok)
    return bootstrapFailure(parsed.code, parsed.reason, container);
  if (parsed && 'sshd' in parsed) {
    return pass(
      'BOOTSTRAP_PROBE',
      BOOTSTRAP_TITLE,
      `Container "${container}" has sshd at ${parsed.sshd}.`,
    );
  }
  if (parsed && 'install' in parsed) {
    const message =
      `Container "${container}" has no sshd yet; ${parsed.install} can install it on the first ` +
      `connect.`;
    return pass('BOOTSTRAP_PROBE', BOOTSTRAP_TITLE, message);
  }
  if (looksLikeNoShell(output)) return bootstrapFailure('NO_SHELL', '', container);
  const last = output.trim().split('\n').pop()?.slice(0, 300) || '(nothing)';
  return bootstrapFailure('NO_RESULT', `its last output was: ${last}`, container);
}

/**
 * What a session that did start proves: the task role let the agent reach Session Manager
 * (unless the container's own AWS keys signed for it instead). Your own StartSession the probe
 * checks directly, for both documents (see sshSessionAllowed).
 */
export function provenBySession(results: CheckResult[]): void {
  const opened = results.some((r) => r.code === 'TARGET_NOT_CONNECTED' && r.outcome === 'pass');
  if (!opened) return;
  const ownKeys = results.some((r) => r.code === 'AWS_KEYS_IN_ENVIRONMENT' && r.outcome === 'warn');
  results.forEach((result, index) => {
    if (result.outcome !== 'unknown') return;
    if (result.code === 'TASK_ROLE_MISSING_SSMMESSAGES' && !ownKeys) {
      const proof =
        'Not simulated, but the agent reached Session Manager for the probe, so the task role ' +
        'allows what it needs.';
      results[index] = pass(result.code, result.title, proof);
    }
  });
}

/** Why the probe's session could not be opened, in the checks' vocabulary. */
export function sessionFailure(
  error: unknown,
  target: ProbeTarget,
  document?: string,
): CheckResult {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if (code === 'TARGET_NOT_CONNECTED') return targetNotConnected(target);
  if (code === 'ACCESS_DENIED') {
    const fix =
      'Allow your identity ssm:StartSession on the task and on the documents ' +
      '"AWS-StartSSHSession" and "AWS-StartNonInteractiveCommand".';
    const container = target.containerName
      ? `container "${target.containerName}"`
      : 'the container';
    const task = target.taskId ? ` of task "${target.taskId}"` : '';
    const where = `${container}${task}${document ? ` with ${document}` : ''}`;
    return finding(
      'fail',
      'START_SESSION_DENIED',
      'Your permission to start sessions',
      `Session Manager refused your ssm:StartSession on ${where} (AccessDenied).`,
      fix,
    );
  }
  if (code === 'KMS_NOT_SUPPORTED') {
    const fix =
      'KMS-encrypted sessions are not supported yet: use "aws ecs execute-command" for this ' +
      'cluster meanwhile, or remove the KMS key from its executeCommandConfiguration (or the ' +
      'Session Manager preferences) where your security policy allows.';
    return finding('fail', 'EXEC_KMS_KEY', 'Session encryption (KMS)', message, fix);
  }
  // A connection made now would fail the same way, so this blocks too.
  return finding(
    'fail',
    'TARGET_NOT_CONNECTED',
    SESSION_TITLE,
    `Could not open a session to container "${target.containerName}": ${message}`,
    'Try again; if it keeps failing, run with --verbose and read the channel events.',
  );
}

export function targetNotConnected(target: {
  taskId?: string;
  containerName?: string;
}): CheckResult {
  const container = target.containerName ? `container "${target.containerName}"` : 'the container';
  const task = target.taskId ? ` of task "${target.taskId}"` : '';
  return finding(
    'fail',
    'TARGET_NOT_CONNECTED',
    SESSION_TITLE,
    `Session Manager cannot reach ${container}${task} (TargetNotConnected), although ECS ` +
      'reports its agent RUNNING.',
    'The agent cannot reach Session Manager: give the task a network path to ssmmessages ' +
      '(NAT, or VPC endpoints for ssm and ssmmessages), then start a new task.',
  );
}

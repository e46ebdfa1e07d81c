// The one check that goes into the container: the bootstrap script in probe mode, over a
// Session Manager command session. It proves the target is connected and that we may start
// sessions, then says whether sshd is there or could be installed, without changing anything.

import {
  buildBootstrapCommand,
  DEFAULT_SSHD_PORT,
  parseProbeResult,
} from '../bootstrap/bootstrapCommand.js';
import { runCommand } from '../ssm/connect.js';
import type { SsmSessions } from '../ssm/ssmSessions.js';
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
  ];
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
 * What a session that did start proves: the caller may start sessions, and the task role lets
 * the agent reach Session Manager. Simulations that could not be run say so instead of "could
 * not check".
 */
export function provenBySession(results: CheckResult[]): void {
  const opened = results.some((r) => r.code === 'TARGET_NOT_CONNECTED' && r.outcome === 'pass');
  if (!opened) return;
  const proofs: Partial<Record<string, string>> = {
    START_SESSION_DENIED:
      'Not simulated, but the probe started a session, so you may start sessions on this task.',
    TASK_ROLE_MISSING_SSMMESSAGES:
      'Not simulated, but the agent reached Session Manager for the probe, so the task role ' +
      'allows what it needs.',
  };
  results.forEach((result, index) => {
    const proof = proofs[result.code];
    if (result.outcome === 'unknown' && proof) {
      results[index] = pass(result.code, result.title, proof);
    }
  });
}

/** Why the probe's session could not be opened, in the checks' vocabulary. */
export function sessionFailure(error: unknown, target: ProbeTarget): CheckResult {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if (code === 'TARGET_NOT_CONNECTED') return targetNotConnected(target);
  if (code === 'ACCESS_DENIED') {
    const fix =
      'Allow your identity ssm:StartSession on the task and on the documents ' +
      '"AWS-StartSSHSession" and "AWS-StartNonInteractiveCommand".';
    const where = `container "${target.containerName}"${target.taskId ? ` of task "${target.taskId}"` : ''}`;
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
  return finding(
    'unknown',
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

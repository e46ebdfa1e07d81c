// What the proxy says when a connection fails or may fail: the failed check and its fix, found
// by running the cheap checks (no probe, no waiting) next to the raw error, and the warnings it
// prints before connecting (AWS keys in the environment, no init process, shared pid mode).

import type { ECSClient } from '@aws-sdk/client-ecs';

import type { AwsClients } from '../aws/clients.js';
import { ResolveError, type ResolvedTarget, type TargetSpec } from '../aws/resolveTarget.js';
import { bootstrapFailure } from './bootstrapChecks.js';
import {
  explanationOf,
  isBlocking,
  isSymptom,
  primaryProblem,
  symptomHeadline,
  type CheckResult,
} from './checkResult.js';
import { checkTask } from './checkTask.js';
import { sessionFailure, targetNotConnected } from './containerProbe.js';
import { credentialFailure } from './credentialChecks.js';
import { diagnose } from './diagnose.js';
import { readTaskDefinition } from './lookups.js';

export interface FailureContext {
  profile?: string;
  region?: string;
  cluster: string;
  target: TargetSpec;
  container?: string;
  clients?: AwsClients;
}

const DIAGNOSED = new Set([
  'TARGET_NOT_CONNECTED',
  'ACCESS_DENIED',
  'KMS_NOT_SUPPORTED',
  'HANDSHAKE_TIMEOUT',
  'BOOTSTRAP_NO_RESULT',
]);
const ECS_NOT_FOUND = new Set(['ClusterNotFoundException', 'ServiceNotFoundException']);

/** The check that explains `error`, or undefined when the error is not one we can explain. */
export async function explainFailure(
  error: unknown,
  context: FailureContext,
): Promise<CheckResult | undefined> {
  const credentials = credentialFailure(error, context.profile);
  if (credentials) return credentials;
  const code = (error as { code?: unknown }).code;
  const name = (error as Error).name;
  if (typeof code === 'string' && code.startsWith('BOOTSTRAP_') && code !== 'BOOTSTRAP_NO_RESULT') {
    return bootstrapFailure(code.slice('BOOTSTRAP_'.length), reasonOf(error), context.container);
  }
  const needsChecks =
    error instanceof ResolveError || DIAGNOSED.has(String(code)) || ECS_NOT_FOUND.has(name);
  if (!needsChecks) return undefined;

  const results = await diagnose(context, {
    clients: context.clients,
    probe: false,
    agentWaitMs: 0,
  });
  const symptom = symptomOf(error, context) ?? results.find((r) => isBlocking(r) && isSymptom(r));
  // A refused session or a KMS key is the cause itself, whatever else the checks found; the
  // checks' own sentence for it, when they found it too, says more (who, which key).
  if (symptom && !isSymptom(symptom)) {
    return results.find((r) => r.code === symptom.code && r.outcome === 'fail') ?? symptom;
  }
  if (!symptom) return primaryProblem(results);
  const cause = explanationOf(symptom, results);
  if (!cause) return symptom;
  return { ...cause, message: `${symptomHeadline(symptom)}; likely cause: ${cause.message}` };
}

/** Warnings worth a line before connecting: they do not block, but explain trouble later. */
export async function preflightWarnings(
  ecs: ECSClient,
  target: ResolvedTarget,
): Promise<CheckResult[]> {
  const definition = await readTaskDefinition(ecs, target.task);
  return checkTask(target.task, definition, { container: target.containerName }).filter(
    (r) => r.outcome === 'warn',
  );
}

function symptomOf(error: unknown, context: FailureContext): CheckResult | undefined {
  const code = String((error as { code?: unknown }).code);
  const where = { taskId: taskIdIn(error), containerName: context.container };
  if (code === 'TARGET_NOT_CONNECTED') return targetNotConnected(where);
  if (code === 'BOOTSTRAP_NO_RESULT')
    return bootstrapFailure('NO_RESULT', reasonOf(error), context.container);
  if (DIAGNOSED.has(code)) {
    const names = { taskId: where.taskId ?? '', containerName: where.containerName ?? '' };
    return sessionFailure(error, { ...names, ssmTarget: '', loginUser: '' });
  }
  return undefined;
}

/** The task id in the `ecs:<cluster>_<taskId>_<runtimeId>` target an SSM error names; a
 * cluster name may hold underscores, a task id (32 hex digits) does not. */
function taskIdIn(error: unknown): string | undefined {
  return /"ecs:[^"]*?_([0-9a-f]{32})_[^"]+"/.exec((error as Error).message ?? '')?.[1];
}

function reasonOf(error: unknown): string {
  return ((error as Error).message ?? '')
    .replace(/^starting sshd in the container failed: /, '')
    .replace(/^starting sshd in the container gave no result line; /, '');
}

// Connect: check credentials, then the task's exec and agent state (waiting, bounded, for an
// agent still starting); write the Host block; run
// the bootstrap (sshd in the container, host key pinned) under a cancellable progress
// notification that shows the current step; open the Remote-SSH window. A failure is explained
// by the connection checks when they can (the failed check and its fix, also kept for the
// tree's rows); a success clears what an earlier failure left there.

import * as vscode from 'vscode';

import { parseTargetSpec } from '../aws/resolveTarget.js';
import type { ConnectPlan, ConnectRequest } from '../connect/connectPlan.js';
import { checkCredentials } from '../connect/credentials.js';
import { reachTarget } from '../connect/reachTarget.js';
import { CancelledError, explainedError, toUserError, UserError } from '../connect/userError.js';
import { explainFailure, type CheckResult } from '../diagnose/index.js';
import type { FindingsKey } from '../model/findings.js';
import { scopeLabel } from '../model/nodes.js';
import type { StepLog } from '../proxy/stepLog.js';
import { prepareConnection } from '../proxy/runProxy.js';
import { writeHostBlockFor } from './hostBlockStep.js';
import { rememberConnection } from './connectionHistory.js';
import { openRemoteWindow, requireRemoteSsh } from './remoteSsh.js';
import type { Log } from './log.js';
import type { Services } from './services.js';

export interface ConnectOptions {
  newWindow: boolean;
}

export async function connect(
  services: Services,
  request: ConnectRequest,
  options: ConnectOptions,
): Promise<ConnectPlan> {
  const { log } = services;
  const started = Date.now();
  log.info(`Connect to ${describeRequest(request)} (${options.newWindow ? 'new' : 'this'} window)`);
  const reached: Reached = {};
  try {
    const flavour = requireRemoteSsh();
    log.debug(`Remote-SSH: ${flavour.id}`);
    const { plan, taskId } = await withProgress(log, request, (step, signal) =>
      connectSteps(services, request, step, signal, reached),
    );
    if (reached.key) services.findings.record(reached.key, [], SOURCE);
    await rememberConnection(services.context.globalState, plan, taskId);
    await openRemoteWindow(plan.authority, services.settings().remoteFolder, options.newWindow);
    log.info(`Connect to ${plan.entry.alias}: window opened after ${Date.now() - started} ms`);
    return plan;
  } catch (error) {
    const failure = await explained(services, request, error, reached);
    const code = failure instanceof UserError ? failure.code : 'cancelled';
    log.info(`Connect ended after ${Date.now() - started} ms: ${code}`);
    throw failure;
  }
}

const SOURCE = 'Connect';
/** How long finding out why a Connect failed may take before the raw error is shown. */
const EXPLAIN_LIMIT_MS = 15_000;

/** What the steps reached before a failure: the task's key for the findings, once known. */
interface Reached {
  key?: FindingsKey;
}

/**
 * The failure as the user sees it: when the cheap connection checks explain it, their code,
 * sentence and fix (kept on the task's rows in the tree too); else the error as it is.
 */
async function explained(
  services: Services,
  request: ConnectRequest,
  error: unknown,
  reached: Reached,
): Promise<Error> {
  const failure = toUserError(error, contextOf(request));
  const own = error instanceof UserError || error instanceof CancelledError;
  if (own || !(failure instanceof UserError) || CREDENTIAL_CODES.has(failure.code)) return failure;
  const check = await explainWithin(services, request, error);
  if (!check) return failure;
  services.log.info(`Connect failure explained: ${check.code}`);
  if (reached.key) services.findings.record(reached.key, [check], SOURCE);
  return explainedError(check, request.scope, request);
}

const CREDENTIAL_CODES = new Set(['SSO_EXPIRED', 'NO_CREDENTIALS', 'CREDENTIALS_EXPIRED']);

function explainWithin(
  services: Services,
  request: ConnectRequest,
  error: unknown,
): Thenable<CheckResult | undefined> {
  const title = `Connect to "${request.container}" failed; finding out why`;
  const options = { location: vscode.ProgressLocation.Notification, title };
  return vscode.window.withProgress(options, async () => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), EXPLAIN_LIMIT_MS);
    });
    const context = {
      profile: request.scope.profile,
      region: request.scope.region,
      cluster: request.cluster,
      target: parseTargetSpec(request.target),
      container: request.container,
      clients: services.clients(request.scope),
    };
    try {
      return await Promise.race([explainFailure(error, context), limit]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  });
}

async function connectSteps(
  services: Services,
  request: ConnectRequest,
  step: StepLog,
  signal: AbortSignal,
  reached: Reached,
): Promise<{ plan: ConnectPlan; taskId: string }> {
  step.step('checking AWS credentials');
  const clients = services.clients(request.scope);
  try {
    await checkCredentials(clients, request.scope, services.log.redactor);
  } catch (error) {
    services.forget(request.scope);
    throw error;
  }

  step.step(`checking task and container in cluster "${request.cluster}"`);
  const resolved = await reachTarget(clients.ecs, request, { onStep: step.step, signal });
  reached.key = {
    scope: request.scope,
    cluster: request.cluster,
    taskId: resolved.taskId,
    container: resolved.containerName,
  };
  signal.throwIfAborted();

  step.step('writing the Host block');
  const plan = await writeHostBlockFor(services, request);
  signal.throwIfAborted();

  const prepared = await prepareConnection(plan.proxyOptions, step, signal);
  signal.throwIfAborted();
  step.step('opening the Remote-SSH window');
  return { plan, taskId: prepared.target.taskId };
}

type Work<T> = (step: StepLog, signal: AbortSignal) => Promise<T>;

function withProgress<T>(log: Log, request: ConnectRequest, work: Work<T>): Thenable<T> {
  const title = `Connecting to "${request.container}" (${request.target})`;
  const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
  return vscode.window.withProgress(options, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort(new CancelledError()));
    const step = (message: string) => {
      log.info(`  ${message}`);
      progress.report({ message });
    };
    try {
      return await work({ ...log, step }, abort.signal);
    } finally {
      subscription.dispose();
    }
  });
}

function describeRequest(request: ConnectRequest): string {
  return (
    `container "${request.container}" of ${request.target} in cluster "${request.cluster}" ` +
    `(${scopeLabel(request.scope)})`
  );
}

function contextOf(request: ConnectRequest) {
  const service = /^service\/(.+)$/.exec(request.target)?.[1] ?? request.serviceName;
  return { scope: request.scope, cluster: request.cluster, serviceName: service };
}

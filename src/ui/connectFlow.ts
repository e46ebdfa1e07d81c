// Connect: check credentials, then the task's exec and agent state; write the Host block; run
// the bootstrap (sshd in the container, host key pinned) under a cancellable progress
// notification that shows the current step; open the Remote-SSH window.

import * as vscode from 'vscode';

import { resolveTarget, parseTargetSpec } from '../aws/resolveTarget.js';
import type { ConnectPlan, ConnectRequest } from '../connect/connectPlan.js';
import { checkCredentials } from '../connect/credentials.js';
import { CancelledError, toUserError, UserError } from '../connect/userError.js';
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
  try {
    const flavour = requireRemoteSsh();
    log.debug(`Remote-SSH: ${flavour.id}`);
    const { plan, taskId } = await withProgress(log, request, (step, signal) =>
      connectSteps(services, request, step, signal),
    );
    await rememberConnection(services.context.globalState, plan, taskId);
    await openRemoteWindow(plan.authority, services.settings().remoteFolder, options.newWindow);
    log.info(`Connect to ${plan.entry.alias}: window opened after ${Date.now() - started} ms`);
    return plan;
  } catch (error) {
    const failure = toUserError(error, contextOf(request));
    const code = failure instanceof UserError ? failure.code : 'cancelled';
    log.info(`Connect ended after ${Date.now() - started} ms: ${code}`);
    throw failure;
  }
}

async function connectSteps(
  services: Services,
  request: ConnectRequest,
  step: StepLog,
  signal: AbortSignal,
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
  const spec = parseTargetSpec(request.target);
  await resolveTarget(clients.ecs, request.cluster, spec, request.container);
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
  return `container "${request.container}" of ${request.target} in cluster "${request.cluster}" (${scopeLabel(request.scope)})`;
}

function contextOf(request: ConnectRequest) {
  const service = /^service\/(.+)$/.exec(request.target)?.[1] ?? request.serviceName;
  return { scope: request.scope, cluster: request.cluster, serviceName: service };
}

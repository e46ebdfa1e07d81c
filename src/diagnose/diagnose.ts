// The runner: every check for one connection target, in the order a connection meets them.
// It stops at a blocking problem that hides the rest (no credentials, no cluster, no task) and
// otherwise runs everything, so the report lists each problem once with its fix.

import type { Cluster, Task } from '@aws-sdk/client-ecs';

import { createClients, type AwsClients } from '../aws/clients.js';
import { findTask, ResolveError, type TargetSpec } from '../aws/resolveTarget.js';
import { Redactor } from '../ssm/redact.js';
import { SsmSessions } from '../ssm/ssmSessions.js';
import type { Logger } from '../ssm/log.js';
import { attributeSymptom, isBlocking, type CheckCode, type CheckResult } from './checkResult.js';
import { checkExecKmsKey } from './clusterChecks.js';
import { probeContainer, provenBySession } from './containerProbe.js';
import { checkCredentials, credentialFailure, type Caller } from './credentialChecks.js';
import { checkTask } from './checkTask.js';
import { secretValues } from './definitionChecks.js';
import { findCluster, readTaskFacts, type TaskFacts } from './lookups.js';
import { permissionResults } from './permissionStage.js';
import { finding, taskIdOf } from './result.js';
import { DEFAULT_AGENT_WAIT_MS, isStarting, waitForAgent } from './waitForAgent.js';

export interface DiagnoseTarget {
  profile?: string;
  region?: string;
  cluster: string;
  target: TargetSpec;
  container?: string;
  /** The login user sshd would serve (default root); the probe checks that it exists. */
  user?: string;
}

export interface DiagnoseOptions {
  /** Clients to use; default: new ones for the target's profile and region. */
  clients?: AwsClients;
  /** How long to wait for a PENDING exec agent; default 60 s, 0 for not at all. */
  agentWaitMs?: number;
  /** Progress while waiting, one line at a time. */
  onProgress?: (message: string) => void;
  /** Called with the task the checks look at, once it is found. */
  onTask?: (task: Task) => void;
  /** Run the probe in the container over Session Manager (default true). */
  probe?: boolean;
  signal?: AbortSignal;
  logger?: Logger;
}

interface Run {
  /** Knows the container's own secret values once the task definition is read. */
  redactor: Redactor;
  target: DiagnoseTarget;
  options: DiagnoseOptions;
  clients: AwsClients;
  /** Filled in place: the steps hold on to this array. */
  readonly results: CheckResult[];
}

export async function diagnose(
  target: DiagnoseTarget,
  options: DiagnoseOptions = {},
): Promise<CheckResult[]> {
  const clients =
    options.clients ??
    createClients({ profile: target.profile, region: target.region }, options.logger);
  const run: Run = { target, options, clients, results: [], redactor: new Redactor() };
  try {
    await runChecks(run);
  } catch (error) {
    run.results.push(unexpected(error, target.profile));
  }
  attributeSymptom(run.results);
  return withoutUnsureDuplicates(run.results).map((result) => scrubbed(result, run.redactor));
}

async function runChecks(run: Run): Promise<void> {
  const { results, clients } = run;
  const credentials = await checkCredentials(clients);
  results.push(credentials.result);
  if (isBlocking(credentials.result)) return;

  const region = await clients.ecs.config.region();
  const found = await findCluster(clients.ecs, run.target.cluster, region);
  results.push(found.result);
  if (!found.cluster) return;

  const task = await lookupTask(run);
  if (!task) return;
  run.options.onTask?.(task);
  await checkAround(run, found.cluster, task, credentials.caller, region);
}

const FIXES: Record<string, string> = {
  NO_RUNNING_TASK: 'Start a task (or scale the service up), then try again.',
  SERVICE_NOT_FOUND:
    'Check the service name ("ecs-ssh ls --cluster NAME" lists the services), or give the ' +
    'cluster it runs in.',
  TASK_NOT_FOUND:
    'Pick a running task ("ecs-ssh ls --cluster NAME" lists them), or connect to its service.',
};

async function lookupTask(run: Run): Promise<Task | undefined> {
  try {
    return await findTask(run.clients.ecs, run.target.cluster, run.target.target);
  } catch (error) {
    if (!(error instanceof ResolveError)) throw error;
    run.results.push(
      finding(
        'fail',
        error.code as CheckCode,
        'Task',
        error.message,
        FIXES[error.code] ?? FIXES.TASK_NOT_FOUND,
      ),
    );
    return undefined;
  }
}

async function checkAround(
  run: Run,
  cluster: Cluster,
  found: Task,
  caller: Caller | undefined,
  region: string,
): Promise<void> {
  const { clients, results } = run;
  const clusterName = cluster.clusterName ?? run.target.cluster;
  const facts = await readTaskFacts(clients.ecs, clusterName, found);
  run.redactor.add(...secretValues(facts.taskDefinition));
  const waitStarted = Date.now();
  const task = await waitIfStarting(run, clusterName, found);
  const taskResults = checkTask(task, facts.taskDefinition, context(run, facts));
  if (task !== found) noteWait(taskResults, Date.now() - waitStarted);
  results.push(...taskResults, checkExecKmsKey(cluster));
  const iam = { iam: clients.iam, cluster, task, taskDefinition: facts.taskDefinition };
  results.push(...(await permissionResults({ ...iam, caller, region })));
  if (run.options.probe === false || results.some(isBlocking)) return;
  await probe(run, clusterName, task);
}

async function waitIfStarting(run: Run, cluster: string, task: Task): Promise<Task> {
  const name = run.target.container ?? task.containers?.[0]?.name ?? '';
  const container = (task.containers ?? []).find((c) => c.name === name);
  const timeoutMs = run.options.agentWaitMs ?? DEFAULT_AGENT_WAIT_MS;
  if (!isStarting(container) || timeoutMs <= 0) return task;
  return waitForAgent(run.clients.ecs, cluster, task, name, {
    timeoutMs,
    onProgress: run.options.onProgress,
    signal: run.options.signal,
  });
}

async function probe(run: Run, cluster: string, task: Task): Promise<void> {
  const containers = task.containers ?? [];
  const container = run.target.container
    ? containers.find((c) => c.name === run.target.container)
    : containers[0];
  const taskId = taskIdOf(task.taskArn);
  const target = {
    ssmTarget: `ecs:${cluster}_${taskId}_${container?.runtimeId}`,
    taskId,
    containerName: container?.name ?? '',
    loginUser: run.target.user ?? 'root',
  };
  run.options.onProgress?.(`probing container "${target.containerName}" over Session Manager`);
  const found = await probeContainer(new SsmSessions(run.clients.ssm), target);
  // A session the probe really started answers your permission better than the simulator.
  const started = found.some((r) => r.code === 'START_SESSION_DENIED' && r.outcome === 'pass');
  const kept = run.results.filter((r) => !started || r.code !== 'START_SESSION_DENIED');
  run.results.splice(0, run.results.length, ...kept, ...found);
  provenBySession(run.results);
}

/** After waiting in vain, the PENDING finding says for how long. */
function noteWait(results: CheckResult[], waitedMs: number): void {
  const pending = results.find((r) => r.code === 'AGENT_PENDING');
  if (!pending) return;
  const seconds = Math.round(waitedMs / 1000);
  pending.message = pending.message.replace(
    /: the task runs.*$/,
    ` after ${seconds} s of waiting.`,
  );
}

function context(run: Run, facts: TaskFacts) {
  return {
    container: run.target.container,
    service: facts.service,
    containerInstance: facts.containerInstance,
    connecting: true,
  };
}

/** What a container printed back can hold its own secrets: none reaches a message. */
function scrubbed(result: CheckResult, redactor: Redactor): CheckResult {
  const message = redactor.scrub(result.message);
  const fix = result.fix && redactor.scrub(result.fix);
  return message === result.message && fix === result.fix ? result : { ...result, message, fix };
}

/** A code with a definite answer (the probe's) does not also list "could not check". */
function withoutUnsureDuplicates(results: CheckResult[]): CheckResult[] {
  const definite = new Set(results.filter((r) => r.outcome !== 'unknown').map((r) => r.code));
  return results.filter((r) => r.outcome !== 'unknown' || !definite.has(r.code));
}

function unexpected(error: unknown, profile: string | undefined): CheckResult {
  const known = credentialFailure(error, profile);
  if (known) return known;
  const name = (error as Error).name ?? 'Error';
  const message = ((error as Error).message ?? String(error)).replace(/[.\s]+$/, '');
  return finding(
    'unknown',
    'CHECKS_STOPPED',
    'The checks themselves',
    `The checks stopped early: ${name}: ${message}.`,
    'Check your permissions to read ECS (ecs:Describe*, ecs:List*), then run the checks again.',
  );
}

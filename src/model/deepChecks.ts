// The checks behind a task row that cost more than listing it: the cluster's ECS Exec
// configuration (a KMS key, session logging) and what IAM's policy simulator says about the task
// role and about your permission to start sessions. They run after the rows are drawn, for at
// most MAX_TASKS tasks of a listing: one simulation per task role (and per log destination),
// and two for your permissions on all those tasks at once. Each answer is kept for a few
// minutes, so a redraw asks nothing again; an answer that could not be had is asked again
// sooner. A check runs at most DEEP_TIME_LIMIT_MS; a refresh or new credentials discard what
// is still running.

import { DescribeClustersCommand, type Cluster, type Task } from '@aws-sdk/client-ecs';
import type { TaskDefinition } from '@aws-sdk/client-ecs';

import type { AwsClients } from '../aws/clients.js';
import type { CheckResult } from '../diagnose/checkResult.js';
import { checkExecKmsKey } from '../diagnose/clusterChecks.js';
import { checkCredentials, type Caller } from '../diagnose/credentialChecks.js';
import { callerResults, loggingResult, taskRoleResult } from '../diagnose/permissionStage.js';
import { cachedSimulator, type Simulator } from '../diagnose/simulation.js';
import { scopeId, type Scope } from './nodes.js';

/** Tasks per listing whose permissions are simulated; Diagnose Connection checks any other. */
export const MAX_TASKS = 100;
/** How long an answer is kept. */
export const DEEP_MAX_AGE_MS = 5 * 60_000;
/** How long an answer with a "could not check" in it is kept (IAM may answer next time). */
export const UNSURE_MAX_AGE_MS = 60_000;
/** How long one run may take before its tasks are left unchecked until the next listing. */
export const DEEP_TIME_LIMIT_MS = 30_000;

export interface DeepInput {
  task: Task;
  definition?: TaskDefinition;
}

interface Kept<T> {
  at: number;
  value: T;
}

/** What a scope's runs share, made again when the scope's clients change or are forgotten. */
interface ScopeState {
  clients: AwsClients;
  simulator: Simulator;
  caller?: Kept<Promise<Caller | undefined>>;
}

export interface DeepCheckOptions {
  maxAgeMs?: number;
  timeLimitMs?: number;
  clock?: () => number;
}

export class DeepChecks {
  private readonly results = new Map<string, Kept<CheckResult[]>>();
  private readonly clusters = new Map<string, Kept<Promise<Cluster | undefined>>>();
  private readonly scopes = new Map<string, ScopeState>();
  /** Task key → the run checking it. */
  private readonly inFlight = new Map<string, object>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly maxAgeMs: number;
  private readonly timeLimitMs: number;
  private readonly clock: () => number;

  constructor(options: DeepCheckOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? DEEP_MAX_AGE_MS;
    this.timeLimitMs = options.timeLimitMs ?? DEEP_TIME_LIMIT_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** What is known for this task now and when it was learned, or undefined when unchecked. */
  known(scope: Scope, task: Task): { results: CheckResult[]; at: number } | undefined {
    const kept = this.results.get(taskKey(scope, task));
    if (!kept || !this.isFresh(kept, this.lifetime(kept.value))) return undefined;
    return { results: kept.value, at: kept.at };
  }

  /** A cluster as a listing described it (with its configuration), so no second call is needed. */
  rememberCluster(scope: Scope, cluster: Cluster): void {
    const key = `${scopeId(scope)}|${cluster.clusterName}`;
    this.clusters.set(key, { at: this.clock(), value: Promise.resolve(cluster) });
  }

  /**
   * Checks the tasks not known yet among the first MAX_TASKS; resolves to true when it learned
   * something new. Never rejects: a check that cannot run says so in its result.
   */
  check(
    scope: Scope,
    clients: AwsClients,
    clusterName: string,
    inputs: DeepInput[],
  ): Promise<boolean> {
    const state = this.stateFor(scope, clients);
    // The first MAX_TASKS of the listing, not the first unchecked ones: otherwise each redraw
    // would start the next batch, and a big cluster would be simulated task by task.
    const wanted = inputs
      .slice(0, MAX_TASKS)
      .filter(({ task }) => task.taskArn)
      .filter(({ task }) => !this.known(scope, task) && !this.inFlight.has(taskKey(scope, task)));
    if (wanted.length === 0) return Promise.resolve(false);
    const token = {};
    const keys = wanted.map(({ task }) => taskKey(scope, task));
    for (const key of keys) this.inFlight.set(key, token);
    const work = this.bounded(this.run(scope, state, clusterName, wanted)).finally(() => {
      for (const key of keys) if (this.inFlight.get(key) === token) this.inFlight.delete(key);
      this.running.delete(work);
    });
    this.running.add(work);
    return work;
  }

  /** Drops everything known about a scope, and what is still being checked for it. */
  forget(scope: Scope): void {
    const prefix = `${scopeId(scope)}|`;
    for (const map of [this.results, this.clusters, this.inFlight]) {
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
    }
    this.scopes.delete(scopeId(scope));
  }

  /** Resolves when no check is running (each ends within the time limit). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** The scope's shared state; new when its clients changed (a new sign-in) or it was forgotten. */
  private stateFor(scope: Scope, clients: AwsClients): ScopeState {
    const held = this.scopes.get(scopeId(scope));
    if (held && held.clients === clients) return held;
    if (held) this.forget(scope);
    const state = { clients, simulator: cachedSimulator(clients.iam, this.maxAgeMs, this.clock) };
    this.scopes.set(scopeId(scope), state);
    return state;
  }

  private bounded(work: Promise<boolean>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeLimitMs);
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
  }

  private async run(
    scope: Scope,
    state: ScopeState,
    clusterName: string,
    inputs: DeepInput[],
  ): Promise<boolean> {
    try {
      const { clients, simulator } = state;
      const [cluster, caller, region] = await Promise.all([
        this.cluster(scope, clients, clusterName),
        this.caller(state),
        clients.ecs.config.region(),
      ]);
      if (!cluster) return false;
      const tasks = inputs.map((input) => input.task);
      const callers = await callerResults({ cluster, tasks, caller, region }, simulator);
      const found = await Promise.all(
        inputs.map(async (input, index) => {
          const context = { cluster, task: input.task, taskDefinition: input.definition, region };
          const [role, logging] = await Promise.all([
            taskRoleResult(context, simulator),
            loggingResult(context, simulator),
          ]);
          return [checkExecKmsKey(cluster), role, logging, callers[index]];
        }),
      );
      // A refresh or new credentials since the start: these answers are for a world gone by.
      if (this.scopes.get(scopeId(scope)) !== state) return false;
      return inputs
        .map((input, index) => this.keep(taskKey(scope, input.task), found[index]))
        .some(Boolean);
    } catch {
      // A listing that cannot be checked further keeps what checkTask found.
      return false;
    }
  }

  /** Keeps a task's answers; true when they differ from what was known before. */
  private keep(key: string, value: CheckResult[]): boolean {
    const before = this.results.get(key)?.value;
    this.results.set(key, { at: this.clock(), value });
    return JSON.stringify(before) !== JSON.stringify(value);
  }

  private cluster(scope: Scope, clients: AwsClients, name: string) {
    const key = `${scopeId(scope)}|${name}`;
    const kept = this.clusters.get(key);
    if (kept && this.isFresh(kept)) return kept.value;
    const value = clients.ecs
      .send(new DescribeClustersCommand({ clusters: [name], include: ['CONFIGURATIONS'] }))
      .then((reply) => reply.clusters?.[0])
      .catch(() => undefined);
    this.clusters.set(key, { at: this.clock(), value });
    return value;
  }

  private caller(state: ScopeState): Promise<Caller | undefined> {
    if (state.caller && this.isFresh(state.caller)) return state.caller.value;
    const value = checkCredentials(state.clients).then((checked) => checked.caller);
    state.caller = { at: this.clock(), value };
    return value;
  }

  /** Answers with a "could not check" in them are asked again sooner. */
  private lifetime(results: CheckResult[]): number {
    const unsure = results.some((r) => r.outcome === 'unknown');
    return unsure ? Math.min(UNSURE_MAX_AGE_MS, this.maxAgeMs) : this.maxAgeMs;
  }

  private isFresh(kept: Kept<unknown>, maxAgeMs = this.maxAgeMs): boolean {
    return Math.abs(this.clock() - kept.at) <= maxAgeMs;
  }
}

function taskKey(scope: Scope, task: Task): string {
  return `${scopeId(scope)}|${task.taskArn}|${task.taskDefinitionArn}`;
}

// The checks behind a task row that cost more than listing it: the cluster's ECS Exec
// configuration (a KMS key, session logging) and what IAM's policy simulator says about the task
// role and about your permission to start sessions. They run after the rows are drawn, for at
// most MAX_TASKS tasks of a listing: one simulation per task role (and per log destination),
// and two for your permissions on all those tasks at once. Each answer is kept for a few
// minutes, so a redraw asks nothing again. The tree model draws the rows again when something new is known.

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

export interface DeepInput {
  task: Task;
  definition?: TaskDefinition;
}

interface Kept<T> {
  at: number;
  value: T;
}

export class DeepChecks {
  private readonly results = new Map<string, Kept<CheckResult[]>>();
  private readonly clusters = new Map<string, Kept<Promise<Cluster | undefined>>>();
  private readonly callers = new Map<string, Kept<Promise<Caller | undefined>>>();
  private readonly simulators = new Map<string, Simulator>();
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly maxAgeMs = DEEP_MAX_AGE_MS,
    private readonly clock = Date.now,
  ) {}

  /** What is known for this task now, or undefined when it has not been checked. */
  known(scope: Scope, task: Task): CheckResult[] | undefined {
    const kept = this.results.get(taskKey(scope, task));
    return kept && this.isFresh(kept) ? kept.value : undefined;
  }

  /** A cluster as a listing described it (with its configuration), so no second call is needed. */
  rememberCluster(scope: Scope, cluster: Cluster): void {
    const key = `${scopeId(scope)}|${cluster.clusterName}`;
    this.clusters.set(key, { at: this.clock(), value: Promise.resolve(cluster) });
  }

  /**
   * Checks the tasks not known yet (the first MAX_TASKS of them); resolves to true when it
   * learned something. Never rejects: a check that cannot run says so in its result.
   */
  check(scope: Scope, clients: AwsClients, clusterName: string, inputs: DeepInput[]) {
    // The first MAX_TASKS of the listing, not the first unchecked ones: otherwise each redraw
    // would start the next batch, and a big cluster would be simulated task by task.
    const wanted = inputs
      .slice(0, MAX_TASKS)
      .filter(({ task }) => !this.known(scope, task) && !this.inFlight.has(taskKey(scope, task)));
    if (wanted.length === 0) return Promise.resolve(false);
    for (const { task } of wanted) this.inFlight.add(taskKey(scope, task));
    const work = this.run(scope, clients, clusterName, wanted).finally(() => {
      for (const { task } of wanted) this.inFlight.delete(taskKey(scope, task));
      this.running.delete(work);
    });
    this.running.add(work);
    return work;
  }

  /** Drops everything known about a scope (after its credentials changed). */
  forget(scope: Scope): void {
    const prefix = `${scopeId(scope)}|`;
    for (const map of [this.results, this.clusters]) {
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
    }
    this.callers.delete(scopeId(scope));
    this.simulators.delete(scopeId(scope));
  }

  /** Resolves when no check is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run(
    scope: Scope,
    clients: AwsClients,
    clusterName: string,
    inputs: DeepInput[],
  ): Promise<boolean> {
    try {
      const [cluster, caller, region] = await Promise.all([
        this.cluster(scope, clients, clusterName),
        this.caller(scope, clients),
        clients.ecs.config.region(),
      ]);
      if (!cluster) return false;
      const simulator = this.simulator(scope, clients);
      const tasks = inputs.map((input) => input.task);
      const callers = await callerResults({ cluster, tasks, caller, region }, simulator);
      await Promise.all(
        inputs.map(async (input, index) => {
          const context = { cluster, task: input.task, taskDefinition: input.definition, region };
          const [role, logging] = await Promise.all([
            taskRoleResult(context, simulator),
            loggingResult(context, simulator),
          ]);
          const value = [checkExecKmsKey(cluster), role, logging, callers[index]];
          this.results.set(taskKey(scope, input.task), { at: this.clock(), value });
        }),
      );
      return true;
    } catch {
      // A listing that cannot be checked further keeps what checkTask found.
      return false;
    }
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

  private caller(scope: Scope, clients: AwsClients) {
    const key = scopeId(scope);
    const kept = this.callers.get(key);
    if (kept && this.isFresh(kept)) return kept.value;
    const value = checkCredentials(clients).then((checked) => checked.caller);
    this.callers.set(key, { at: this.clock(), value });
    return value;
  }

  private simulator(scope: Scope, clients: AwsClients): Simulator {
    const key = scopeId(scope);
    let simulator = this.simulators.get(key);
    if (!simulator) {
      simulator = cachedSimulator(clients.iam, this.maxAgeMs, this.clock);
      this.simulators.set(key, simulator);
    }
    return simulator;
  }

  private isFresh(kept: Kept<unknown>): boolean {
    return this.clock() - kept.at <= this.maxAgeMs;
  }
}

function taskKey(scope: Scope, task: Task): string {
  return `${scopeId(scope)}|${task.taskArn}|${task.taskDefinitionArn}`;
}

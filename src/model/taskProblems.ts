// The connection checks for the rows the tree draws: checkTask on what DescribeTasks said, with
// the task definition (read once per definition), the service and the EC2 container instance,
// merged with what the deeper checks and earlier diagnoses found. Rows keep only the problems.

import {
  DescribeContainerInstancesCommand,
  DescribeTaskDefinitionCommand,
  type ContainerInstance,
  type ECSClient,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

import { checkTask } from '../diagnose/checkTask.js';
import type { CheckCode, CheckResult } from '../diagnose/checkResult.js';
import type { Finding } from './findings.js';
import type { TaskSummary } from './nodes.js';

export interface RowFacts {
  taskDefinition?: TaskDefinition;
  service?: Service;
  containerInstance?: ContainerInstance;
  /** What the deeper checks (cluster configuration, IAM simulation) found for the task, and
   * when (epoch milliseconds). */
  deep?: { results: CheckResult[]; at: number };
  /** What Diagnose Connection or a failed Connect found, for the task and per container. */
  found?: { task: Finding[]; container(name: string): Finding[] };
}

/**
 * Adds what the checks found to a task's summary and to each container's: checkTask on what
 * ECS says now decides every code it checks. For the other codes the deeper checks and earlier
 * findings compete: a definite answer (pass, fail, warn) beats "could not check", and among
 * definite answers the newer one wins, so a fixed problem goes away and a new one shows.
 */
export function withProblems(summary: TaskSummary, task: Task, facts: RowFacts): TaskSummary {
  const { taskDefinition, service, containerInstance } = facts;
  const context = { service, containerInstance };
  const taskFound = facts.found?.task ?? [];
  return {
    ...summary,
    problems: merged(checkTask(task, taskDefinition, context), facts.deep, taskFound),
    foundBy: newest(taskFound),
    containers: summary.containers.map((container) => {
      const containerFound = facts.found?.container(container.name) ?? [];
      const live = checkTask(task, taskDefinition, { ...context, container: container.name });
      return {
        ...container,
        problems: merged(live, facts.deep, containerFound),
        foundBy: newest(containerFound),
      };
    }),
  };
}

interface Dated {
  result: CheckResult;
  at: number;
}

/** Codes one check answers: the agent check says RUNNING under AGENT_STOPPED, and that answers
 * an earlier AGENT_PENDING or AGENT_MISSING too. */
const SAME_CHECK: CheckCode[][] = [['AGENT_PENDING', 'AGENT_STOPPED', 'AGENT_MISSING']];

function merged(live: CheckResult[], deep: RowFacts['deep'], found: Finding[]): CheckResult[] {
  const decided = new Set<CheckCode>(live.map((r) => r.code));
  for (const family of SAME_CHECK) {
    if (family.some((code) => decided.has(code))) for (const code of family) decided.add(code);
  }
  const later: Dated[] = [
    ...(deep?.results ?? []).map((result) => ({ result, at: deep?.at ?? 0 })),
    ...found.flatMap((f) => f.results.map((result) => ({ result, at: f.at }))),
  ];
  const best = new Map<string, Dated>();
  for (const candidate of later) {
    const code = candidate.result.code;
    if (decided.has(code)) continue;
    const held = best.get(code);
    if (!held || beats(candidate, held)) best.set(code, candidate);
  }
  const kept = live.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
  for (const { result } of best.values()) {
    if (result.outcome !== 'pass' && result.outcome !== 'skip') kept.push(result);
  }
  return kept;
}

function beats(a: Dated, b: Dated): boolean {
  const definite = (d: Dated) => ['pass', 'fail', 'warn'].includes(d.result.outcome);
  if (definite(a) !== definite(b)) return definite(a);
  return a.at > b.at;
}

function newest(found: Finding[]): Pick<Finding, 'source' | 'at'> | undefined {
  const latest = [...found].sort((a, b) => b.at - a.at)[0];
  return latest && { source: latest.source, at: latest.at };
}

/**
 * The problem a row shows: a failure before a warning. INIT_PROCESS_OFF never stops a
 * connection, and "could not check" is no finding, so neither marks the row; both stay in the
 * tooltip.
 */
export function rowProblem(found: CheckResult[] | undefined): CheckResult | undefined {
  const marking = (found ?? []).filter(
    (p) => p.code !== 'INIT_PROCESS_OFF' && (p.outcome === 'fail' || p.outcome === 'warn'),
  );
  return marking.find((p) => p.outcome === 'fail') ?? marking[0];
}

/**
 * The task definitions of these tasks, each read once: from `cache` when it holds one (a
 * registered revision never changes), else from ECS. One that cannot be read is left out.
 */
export async function readDefinitions(
  ecs: ECSClient,
  tasks: Task[],
  cache?: Map<string, TaskDefinition>,
  cachePrefix = '',
): Promise<Map<string, TaskDefinition>> {
  const arns = [...new Set(tasks.map((t) => t.taskDefinitionArn ?? '').filter(Boolean))];
  const read = await Promise.all(
    arns.map(async (arn) => {
      const cached = cache?.get(`${cachePrefix}|${arn}`);
      if (cached) return [arn, cached] as const;
      try {
        const reply = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
        if (reply.taskDefinition) cache?.set(`${cachePrefix}|${arn}`, reply.taskDefinition);
        return [arn, reply.taskDefinition] as const;
      } catch {
        return [arn, undefined] as const;
      }
    }),
  );
  const found = new Map<string, TaskDefinition>();
  for (const [arn, definition] of read) if (definition) found.set(arn, definition);
  return found;
}

const DESCRIBE_INSTANCES_BATCH = 100;

/** The EC2 container instances these tasks run on (for the agent version), in batches of 100. */
export async function readContainerInstances(
  ecs: ECSClient,
  cluster: string,
  tasks: Task[],
): Promise<Map<string, ContainerInstance>> {
  const arns = [...new Set(tasks.map((t) => t.containerInstanceArn ?? '').filter(Boolean))];
  const found = new Map<string, ContainerInstance>();
  for (let i = 0; i < arns.length; i += DESCRIBE_INSTANCES_BATCH) {
    const batch = arns.slice(i, i + DESCRIBE_INSTANCES_BATCH);
    try {
      const reply = await ecs.send(
        new DescribeContainerInstancesCommand({ cluster, containerInstances: batch }),
      );
      for (const instance of reply.containerInstances ?? []) {
        if (instance.containerInstanceArn) found.set(instance.containerInstanceArn, instance);
      }
    } catch {
      // Without the instance the agent-version check says it was not checked.
    }
  }
  return found;
}

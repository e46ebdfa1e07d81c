// The connection checks for the rows the tree draws: checkTask on what DescribeTasks said, with
// the task definition (read once per definition) and the service. Rows keep only the problems.

import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

import { checkTask } from '../diagnose/checkTask.js';
import { problems, type CheckResult } from '../diagnose/checkResult.js';
import type { TaskSummary } from './nodes.js';

/** Adds the problems of the task and of each container to its summary. */
export function withProblems(
  summary: TaskSummary,
  task: Task,
  taskDefinition: TaskDefinition | undefined,
  service?: Service,
): TaskSummary {
  return {
    ...summary,
    problems: problems(checkTask(task, taskDefinition, { service })),
    containers: summary.containers.map((container) => ({
      ...container,
      problems: problems(checkTask(task, taskDefinition, { service, container: container.name })),
    })),
  };
}

/**
 * The problem a row shows: a failure before a warning. INIT_PROCESS_OFF never stops a
 * connection, so it stays in the tooltip and does not mark the row.
 */
export function rowProblem(found: CheckResult[] | undefined): CheckResult | undefined {
  const marking = (found ?? []).filter((p) => p.code !== 'INIT_PROCESS_OFF');
  return marking.find((p) => p.outcome === 'fail') ?? marking[0];
}

/** The task definitions of these tasks, each read once; one that cannot be read is left out. */
export async function readDefinitions(
  ecs: ECSClient,
  tasks: Task[],
): Promise<Map<string, TaskDefinition>> {
  const arns = [...new Set(tasks.map((t) => t.taskDefinitionArn ?? '').filter(Boolean))];
  const read = await Promise.all(
    arns.map(async (arn) => {
      try {
        const reply = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
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

// Scale: a region with many clusters and one cluster with thousands of tasks (two containers
// each), listed through `ecs-ssh ls` and through the tree model, with the time and the number of
// ECS API calls each takes. No real containers: targets are never dialled.

import type { Emulator } from '../test/emulator/index.js';
import { startEmulator } from '../test/emulator/index.js';
import { CLI } from '../test/support/e2e.js';
import type { Plan } from './plan.js';
import { runOk } from './processes.js';
import { ratio, type Figure, type Section } from './report.js';
import { formatNumber, timed } from './stats.js';
import {
  expandCluster,
  listClusterRows,
  loadTreeModel,
  newModel,
  TREE_MODEL,
} from './treeModel.js';
import { BIG_CLUSTER, scaleWorld } from './worlds.js';

interface Measured {
  ms: number[];
  calls: number[];
  /** Calls per operation in the last run. */
  byOperation: Record<string, number>;
}

/** Times `action`; counts the calls of `action` and of `settle` (work it left running). */
async function measure(
  emulator: Emulator,
  runs: number,
  action: () => Promise<(() => Promise<void>) | void>,
): Promise<Measured> {
  const result: Measured = { ms: [], calls: [], byOperation: {} };
  for (let i = 0; i < runs; i += 1) {
    const before = emulator.apiCalls.length;
    const [settle, ms] = await timed(action);
    await settle?.();
    const calls = emulator.apiCalls.slice(before);
    result.ms.push(ms);
    result.calls.push(calls.length);
    result.byOperation = {};
    for (const call of calls) {
      result.byOperation[call.operation] = (result.byOperation[call.operation] ?? 0) + 1;
    }
  }
  return result;
}

function cli(emulator: Emulator, args: string[], expectLines: RegExp, count: number) {
  return async () => {
    const done = await runOk(process.execPath, [CLI, ...args], emulator.endpoint);
    const lines = done.stdout
      .toString()
      .split('\n')
      .filter((l) => expectLines.test(l));
    if (lines.length !== count) throw new Error(`ecs-ssh ${args.join(' ')}: ${lines.length} rows`);
  };
}

export async function measureScale(plan: Plan): Promise<Section> {
  const { clusters, bigTasks } = plan.scale;
  const emulator = await startEmulator({ world: scaleWorld(plan.scale) });
  try {
    const help = await measure(emulator, plan.scaleRuns, async () => {
      await runOk(process.execPath, [CLI, '--help'], emulator.endpoint);
    });
    const lsCluster = await measure(
      emulator,
      plan.scaleRuns,
      cli(
        emulator,
        ['ls', '--region', 'eu-west-1', '--cluster', BIG_CLUSTER],
        /^ {2}task /,
        bigTasks,
      ),
    );
    const lsAll = await measure(
      emulator,
      plan.scaleRuns,
      cli(emulator, ['ls', '--region', 'eu-west-1'], / running$/, clusters),
    );
    const tree = await measureTree(emulator, plan);
    return scaleSection(plan, { help, lsCluster, lsAll, ...tree });
  } finally {
    await emulator.close();
  }
}

interface TreeMeasured {
  treeClusters?: Measured;
  treeCluster?: Measured;
}

async function measureTree(emulator: Emulator, plan: Plan): Promise<TreeMeasured> {
  const Model = await loadTreeModel();
  if (!Model) return {};
  const treeClusters = await measure(emulator, plan.scaleRuns, async () => {
    const fresh = newModel(Model, emulator.endpoint);
    const rows = await listClusterRows(fresh);
    if (rows.length !== plan.scale.clusters) throw new Error(`tree: ${rows.length} clusters`);
    return () => fresh.idle?.() ?? Promise.resolve();
  });
  const model = newModel(Model, emulator.endpoint);
  const big = (await listClusterRows(model)).find((row) => row.cluster?.name === BIG_CLUSTER);
  if (!big) throw new Error(`the tree model has no row for cluster ${BIG_CLUSTER}`);
  const treeCluster = await measure(emulator, plan.scaleRuns, async () => {
    const fresh = newModel(Model, emulator.endpoint);
    const expanded = await expandCluster(fresh, big);
    if (expanded.tasks !== plan.scale.bigTasks) throw new Error(`tree: ${expanded.tasks} tasks`);
    return () => fresh.idle?.() ?? Promise.resolve();
  });
  return { treeClusters, treeCluster };
}

function operations(measured: Measured | undefined): string {
  if (!measured) return '';
  const parts = Object.entries(measured.byOperation).map(([op, n]) => `${op} ${n}`);
  return parts.join(', ');
}

interface AllMeasured extends TreeMeasured {
  help: Measured;
  lsCluster: Measured;
  lsAll: Measured;
}

function pair(label: string, measured: Measured | undefined, method: string): Figure[] {
  const missing = measured ? undefined : `${TREE_MODEL} is not in this checkout`;
  return [
    { label: `${label}: time`, samples: measured?.ms ?? [], unit: 'ms', method, missing },
    {
      label: `${label}: AWS API calls`,
      samples: measured?.calls ?? [],
      unit: 'calls',
      method: operations(measured) || 'counted by the emulator',
      missing,
    },
  ];
}

function scaleSection(plan: Plan, m: AllMeasured): Section {
  const { clusters, bigTasks, services } = plan.scale;
  const cluster = `\`${BIG_CLUSTER}\``;
  return {
    title: 'Scale',
    lead: [
      `A region of ${clusters} clusters; ${cluster} holds ${formatNumber(bigTasks)} running` +
        ` tasks of two containers each, spread over ${services} services with every tenth task` +
        ' standalone; the other clusters hold two tasks each. `ecs-ssh` runs as a child process' +
        ' (dist/cli.js, spawn to exit, output checked for every task). The tree model runs in' +
        ' this process with a new ECS client per run, as a new window would: expanding the' +
        ' cluster row, then every service and "Standalone tasks" row at once, then every task' +
        ' row (its containers need no call). Its time is until every row is drawn; its calls' +
        ' include the deeper checks the listings start (IAM simulation of the task role and of' +
        ' your ssm:StartSession for up to 100 tasks per list), which finish after the rows. API' +
        ' calls are counted by the emulator; the breakdown is of one run.',
    ],
    figures: [
      {
        label: '`ecs-ssh --help`',
        samples: m.help.ms,
        unit: 'ms',
        method: 'spawn to exit: node start and CLI bundle load, the floor of every ecs-ssh run',
      },
      ...pair(`\`ecs-ssh ls --cluster ${BIG_CLUSTER}\``, m.lsCluster, 'spawn to exit'),
      ...pair(`Tree model: expand ${cluster} to every container`, m.treeCluster, 'in process'),
      ...pair(`\`ecs-ssh ls\` (${clusters} clusters)`, m.lsAll, 'spawn to exit'),
      ...pair(`Tree model: list ${clusters} clusters`, m.treeClusters, 'in process'),
    ],
    notes: m.treeCluster
      ? [
          `Expanding ${cluster} in the tree takes ${ratio(m.treeCluster.calls, m.lsCluster.calls)}` +
            ` the API calls and ${ratio(m.treeCluster.ms, m.lsCluster.ms)} the time of` +
            ` \`ecs-ssh ls --cluster ${BIG_CLUSTER}\` (which includes starting node).`,
        ]
      : [],
  };
}

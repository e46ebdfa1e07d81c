// The tree model (src/model/treeModel.ts, the extension's data layer) driven as the view would
// drive it: expand one cluster, then every service and "Standalone tasks" under it at once, then
// every task. Loaded by path, so the benchmark still runs in a checkout without it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { AwsClients } from '../src/aws/clients.js';
import { silentLogger } from '../src/ssm/log.js';
import { emulatorClients } from '../test/support/diagnoseWorlds.js';
import { ROOT } from '../test/support/e2e.js';

export const TREE_MODEL = 'src/model/treeModel.ts';

interface NodeLike {
  kind: string;
  cluster?: { name: string };
  message?: string;
}

interface TreeModelLike {
  children(node?: NodeLike): Promise<NodeLike[]>;
  /** Resolves when the deeper checks (IAM simulation) that listings start are done. */
  idle?(): Promise<void>;
}

type TreeModelClass = new (options: {
  scopes(): { region: string }[];
  clients(scope: { region: string }): AwsClients;
  log: typeof silentLogger;
}) => TreeModelLike;

export async function loadTreeModel(): Promise<TreeModelClass | undefined> {
  const file = join(ROOT, TREE_MODEL);
  if (!existsSync(file)) return undefined;
  const loaded = (await import(file)) as { EcsTreeModel?: TreeModelClass };
  return loaded.EcsTreeModel;
}

export interface Expanded {
  clusters: number;
  tasks: number;
  containers: number;
}

/** A fresh model and clients, as on a new window. */
export function newModel(Model: TreeModelClass, endpoint: string): TreeModelLike {
  const clients = emulatorClients(endpoint);
  return new Model({
    scopes: () => [{ region: 'eu-west-1' }],
    clients: () => clients,
    log: silentLogger,
  });
}

/** The cluster rows under the one scope. */
export async function listClusterRows(model: TreeModelLike): Promise<NodeLike[]> {
  const [scope] = await model.children();
  return rowsOrThrow(await model.children(scope));
}

/** Every task and container row under one cluster row. */
export async function expandCluster(model: TreeModelLike, cluster: NodeLike): Promise<Expanded> {
  const groups = rowsOrThrow(await model.children(cluster));
  const lists = await Promise.all(groups.map((group) => model.children(group)));
  const tasks = rowsOrThrow(lists.flat()).filter((node) => node.kind === 'task');
  const containers = (await Promise.all(tasks.map((task) => model.children(task)))).flat();
  return { clusters: 1, tasks: tasks.length, containers: containers.length };
}

function rowsOrThrow(nodes: NodeLike[]): NodeLike[] {
  const failed = nodes.find((node) => node.kind === 'error' || node.kind === 'credentials');
  if (failed) throw new Error(`the tree model showed an error row: ${failed.message ?? ''}`);
  return nodes;
}

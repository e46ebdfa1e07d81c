// The tree's warning decorations, through the tree model against the emulator and the pure
// presentation: a healthy task has none; each world with one known cause marks its task and
// container row with the warning icon, the check's name, and the reason and fix in the tooltip.
// Also the Diagnose command's pure decisions: its target and the fixes it offers.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { CheckCode } from '../src/diagnose/index.js';
import {
  diagnosePlanForNode,
  diagnosePlanForRequest,
  fixOffers,
} from '../src/model/diagnosePlan.js';
import type { EcsNode } from '../src/model/nodes.js';
import { rowText, tooltipText } from '../src/model/presentation.js';
import { EcsTreeModel } from '../src/model/treeModel.js';
import { startEmulator, type World } from './emulator/index.js';
import { CAUSES } from './support/diagnoseCauses.js';
import {
  CLUSTER,
  emulatorClients,
  healthyWorld,
  REGION,
  TASK_ID,
} from './support/diagnoseWorlds.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The task row and its container row "app" of service "web", as the tree lists them. */
async function rowsOf(world: World): Promise<{ task: EcsNode; container: EcsNode }> {
  const emulator = await startEmulator({ world });
  try {
    const clients = emulatorClients(emulator.endpoint);
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => clients,
      log: quiet,
    });
    const [scope] = await tree.children();
    const cluster = (await tree.children(scope)).find((n) => n.kind === 'cluster');
    assert.ok(cluster && cluster.kind === 'cluster' && cluster.cluster.name === CLUSTER);
    const service = (await tree.children(cluster)).find((n) => n.kind === 'service');
    assert.ok(service);
    const [task] = await tree.children(service);
    assert.equal(task.kind, 'task');
    const [container] = await tree.children(task);
    assert.equal(container.kind, 'container');
    return { task, container };
  } finally {
    await emulator.close();
  }
}

function worldOf(code: CheckCode): () => World {
  const cause = CAUSES.find((c) => c.code === code);
  assert.ok(cause, `no world for ${code}`);
  return cause.world;
}

test('a healthy task and its container carry no warning', async () => {
  const { task, container } = await rowsOf(healthyWorld());
  for (const row of [task, container]) {
    const text = rowText(row);
    assert.notEqual(text.icon, 'warning', text.description);
    assert.doesNotMatch(tooltipText(row), /⚠/);
  }
  assert.equal(rowText(container).icon, 'package');
});

const marked: { code: CheckCode; outcome: 'fail' | 'warn'; tooltip: RegExp }[] = [
  {
    code: 'EXEC_DISABLED',
    outcome: 'fail',
    tooltip:
      /⚠ \*\*ECS Exec on the task\*\* \(EXEC_DISABLED\): ECS Exec is off on task "a{32}"; service "web" has it on.* Fix: Enable ECS Exec on service "web" and redeploy it/,
  },
  {
    code: 'AGENT_STOPPED',
    outcome: 'fail',
    tooltip: /\(AGENT_STOPPED\): .*STOPPED.* Fix: /,
  },
  {
    code: 'AWS_KEYS_IN_ENVIRONMENT',
    outcome: 'warn',
    tooltip:
      /\(AWS_KEYS_IN_ENVIRONMENT\): Container "app" sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.* Fix: Rename those variables/,
  },
  {
    code: 'READONLY_ROOT_FILESYSTEM',
    outcome: 'warn',
    tooltip:
      /\(READONLY_ROOT_FILESYSTEM\): Container "app" has a read-only root file system.* Fix: Turn readonlyRootFilesystem off/,
  },
];

for (const { code, outcome, tooltip } of marked) {
  test(`${code}: the task and container rows carry the warning, the reason and the fix`, async () => {
    const { task, container } = await rowsOf(worldOf(code)());
    for (const row of [task, container]) {
      const text = rowText(row);
      assert.equal(text.icon, 'warning', `${row.kind} row icon`);
      assert.match(text.iconColor ?? '', /^list\.(error|warning)Foreground$/);
      assert.match(text.description ?? '', /· [^·]+: (fail|warn)$/, `${row.kind} row description`);
      assert.match(tooltipText(row), tooltip, `${row.kind} row tooltip`);
    }
    const problems = container.kind === 'container' ? (container.container.problems ?? []) : [];
    assert.ok(
      problems.some((p) => p.code === code && p.outcome === outcome),
      `container problems: ${problems.map((p) => `${p.code}:${p.outcome}`).join(', ')}`,
    );
  });
}

test('exec off: the task row reads its failure, in red', async () => {
  const { task } = await rowsOf(worldOf('EXEC_DISABLED')());
  const text = rowText(task);
  assert.equal(text.iconColor, 'list.errorForeground');
  assert.match(text.description ?? '', /ECS Exec off · ECS Exec on the task: fail$/);
});

test('Diagnose targets a task row (every container) and a container row (that container)', async () => {
  const { task, container } = await rowsOf(healthyWorld());
  const forTask = diagnosePlanForNode(task);
  assert.deepEqual(forTask?.target, {
    profile: undefined,
    region: REGION,
    cluster: CLUSTER,
    target: { kind: 'task', taskId: TASK_ID },
    container: undefined,
  });
  assert.equal(forTask?.subject, `task ${TASK_ID.slice(0, 8)}`);
  const forContainer = diagnosePlanForNode(container);
  assert.equal(forContainer?.target.container, 'app');
  assert.equal(forContainer?.subject, `app in task ${TASK_ID.slice(0, 8)}`);
  assert.equal(diagnosePlanForNode({ kind: 'empty', id: 'x', what: 'w' }), undefined);
  const fromPicks = diagnosePlanForRequest({
    scope: { profile: 'dev', region: REGION },
    cluster: CLUSTER,
    target: 'service/web',
    container: 'app',
    user: 'root',
  });
  assert.deepEqual(fromPicks.target.target, { kind: 'service', serviceName: 'web' });
  assert.equal(fromPicks.target.profile, 'dev');
  assert.equal(fromPicks.subject, 'app in service/web');
});

test('Diagnose offers each fix it can run once, and none for passed checks', () => {
  const exec = { kind: 'enableExecAndRedeploy', cluster: CLUSTER, service: 'web' } as const;
  const signIn = { kind: 'signIn', command: 'aws sso login --profile dev' } as const;
  const offers = fixOffers([
    { code: 'EXEC_DISABLED', title: 't', outcome: 'fail', message: 'm', action: exec },
    { code: 'EXEC_DISABLED', title: 't', outcome: 'fail', message: 'm', action: exec },
    { code: 'SSO_EXPIRED', title: 't', outcome: 'fail', message: 'm', action: signIn },
    { code: 'TASK_NOT_RUNNING', title: 't', outcome: 'pass', message: 'm', action: exec },
  ]);
  assert.deepEqual(offers, [
    { title: 'Enable ECS Exec and Redeploy', action: exec },
    { title: 'Sign In', action: signIn },
  ]);
  assert.deepEqual(
    fixOffers([{ code: 'NO_TASK_ROLE', title: 't', outcome: 'pass', message: 'm' }]),
    [],
  );
});

// The tree's warning decorations, through the tree model against the emulator and the pure
// presentation: a healthy task has none; each world with one known cause marks its task and
// container row with the warning icon, the check's name, and the reason and fix in the tooltip.
// Also the Diagnose command's pure decisions: its target and the fixes it offers.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Task } from '@aws-sdk/client-ecs';

import { escapeMarkdown } from '../src/diagnose/renderReport.js';
import { diagnose, type CheckCode, type CheckResult } from '../src/diagnose/index.js';
import {
  containersToAsk,
  diagnosePlanForNode,
  diagnosePlanForRequest,
  findingsKeyFor,
  fixOffers,
} from '../src/model/diagnosePlan.js';
import { MAX_TASKS } from '../src/model/deepChecks.js';
import { Findings } from '../src/model/findings.js';
import type { EcsNode } from '../src/model/nodes.js';
import { rowText, tooltipText } from '../src/model/presentation.js';
import { EcsTreeModel } from '../src/model/treeModel.js';
import { startEmulator, type Emulator, type World } from './emulator/index.js';
import { CAUSES, type Cause } from './support/diagnoseCauses.js';
import {
  CALLER_POLICY,
  CALLER_ROLE,
  cannedRuntime,
  CLUSTER,
  emulatorClients,
  healthyWorld,
  REGION,
  TASK_ID,
  type CannedAnswers,
} from './support/diagnoseWorlds.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Rows {
  /** The task row of service "web" and its container row (the cause's, else "app"). */
  task: EcsNode;
  container: EcsNode;
  /** The nodes the model asked to draw again. */
  changed: EcsNode[];
  emulator: Emulator;
  tree: EcsTreeModel;
  findings: Findings;
}

/**
 * Walks the tree model down to service "web" as the view does, waits for the deeper checks,
 * and (as the view does when the model asks) lists the service again. `body` gets the rows.
 */
async function withRows(
  world: World,
  options: { container?: string; answers?: CannedAnswers },
  body: (rows: Rows) => Promise<void>,
): Promise<void> {
  const emulator = await startEmulator({ world, runtime: cannedRuntime(options.answers) });
  try {
    const clients = emulatorClients(emulator.endpoint);
    const findings = new Findings();
    const changed: EcsNode[] = [];
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => clients,
      log: quiet,
      findings,
      changed: (node) => changed.push(node),
    });
    const service = await serviceRow(tree);
    await tree.children(service);
    await tree.idle();
    const rows = await rowsUnder(tree, service, options.container);
    await body({ ...rows, changed, emulator, tree, findings });
  } finally {
    await emulator.close();
  }
}

async function serviceRow(tree: EcsTreeModel): Promise<EcsNode> {
  const [scope] = await tree.children();
  const cluster = (await tree.children(scope)).find((n) => n.kind === 'cluster');
  assert.ok(cluster && cluster.kind === 'cluster' && cluster.cluster.name === CLUSTER);
  const service = (await tree.children(cluster)).find((n) => n.kind === 'service');
  assert.ok(service);
  return service;
}

async function rowsUnder(tree: EcsTreeModel, service: EcsNode, container = 'app') {
  const [task] = await tree.children(service);
  assert.equal(task.kind, 'task');
  const row = (await tree.children(task)).find(
    (n) => n.kind === 'container' && n.container.name === container,
  );
  assert.ok(row, `no container row "${container}"`);
  return { task, container: row };
}

function problemsOf(row: EcsNode): CheckResult[] {
  if (row.kind === 'task') return row.task.problems ?? [];
  if (row.kind === 'container') return row.container.problems ?? [];
  return [];
}

/** The row names the cause: its code, sentence and fix in the tooltip, and (unless it cannot
 * stop a connection or was not checked) the warning icon and the check's name. */
function assertNames(row: EcsNode, cause: Cause): void {
  const seen = problemsOf(row)
    .map((p) => `${p.code}:${p.outcome}`)
    .join(', ');
  const problem = problemsOf(row).find((p) => p.code === cause.code);
  assert.ok(problem, `${row.kind} row: no ${cause.code} among ${seen}`);
  assert.equal(problem.outcome, cause.outcome, `${row.kind} row outcome`);
  assert.match(problem.message, treeMessage(cause), `${row.kind} row message`);
  assert.match(problem.fix ?? '', cause.fix, `${row.kind} row fix`);
  const tooltip = tooltipText(row);
  assert.ok(
    tooltip.includes(
      `(${cause.code}): ${escapeMarkdown(problem.message)} Fix: ${escapeMarkdown(problem.fix ?? '')}`,
    ),
    `${row.kind} row tooltip: ${tooltip}`,
  );
  const text = rowText(row);
  if (marks(cause)) {
    assert.equal(text.icon, 'warning', `${row.kind} row icon`);
    assert.match(text.iconColor ?? '', /^list\.(error|warning)Foreground$/);
    assert.match(text.description ?? '', / · [^·]+: (fail|warn)$/, `${row.kind} row description`);
  } else {
    assert.notEqual(text.icon, 'warning', `${row.kind} row icon`);
  }
}

/** A cause that cannot stop a connection (no init process) or that could not be checked is
 * named in the tooltip without marking the row. */
function marks(cause: Cause): boolean {
  return cause.code !== 'INIT_PROCESS_OFF' && cause.outcome !== 'unknown';
}

/** The tree does not wait for a PENDING agent: it says so at once. */
function treeMessage(cause: Cause): RegExp {
  if (cause.code === 'AGENT_PENDING') {
    return /^The ECS Exec agent in container "app" is still PENDING: the task runs, the agent has not started yet\.$/;
  }
  return cause.message;
}

/** Only the probe in the container finds these; the tree names them after a diagnosis. */
const PROBE_ONLY = new Set(['TARGET_NOT_CONNECTED']);

test('a healthy task and its container carry no warning, after the deeper checks too', async () => {
  await withRows(healthyWorld(), {}, async ({ task, container, changed }) => {
    for (const row of [task, container]) {
      const text = rowText(row);
      assert.notEqual(text.icon, 'warning', text.description);
      assert.doesNotMatch(tooltipText(row), /⚠|\?/);
    }
    assert.equal(rowText(container).icon, 'package');
    assert.deepEqual(
      changed.map((n) => n.kind),
      ['service'],
      'the deeper checks ask once to draw the service again',
    );
  });
});

for (const cause of CAUSES.filter((c) => c.code !== 'NO_CLUSTERS')) {
  const how = PROBE_ONLY.has(cause.code) ? 'after Diagnose Connection' : 'before any diagnosis';
  test(`${cause.code} (${cause.what}): the rows name it with its fix ${how}`, async () => {
    const options = { container: cause.container, answers: cause.answers };
    await withRows(
      cause.world(),
      options,
      async ({ task, container, tree, findings, emulator }) => {
        if (!PROBE_ONLY.has(cause.code)) {
          assertNames(container, cause);
          if (cause.code !== 'SHARED_PID_MODE') assertNames(task, cause);
          return;
        }
        assert.ok(!problemsOf(container).some((p) => p.code === cause.code), 'not known before');
        // What the Diagnose command does for the container row: run the checks, keep the results.
        const plan = diagnosePlanForNode(container) ?? assert.fail('no plan');
        let checked: Task | undefined;
        const results = await diagnose(plan.target, {
          clients: emulatorClients(emulator.endpoint),
          agentWaitMs: 0,
          onTask: (t) => (checked = t),
        });
        assert.ok(checked, 'the runner named the task it checked');
        findings.record(findingsKeyFor(plan, checked), results, 'Diagnose Connection');
        const rows = await rowsUnder(tree, await serviceRow(tree), cause.container);
        assertNames(rows.container, cause);
        assertNames(rows.task, cause);
        assert.match(
          tooltipText(rows.container),
          /_Some of this was found by Diagnose Connection <1m ago\._/,
        );
      },
    );
  });
}

/** The rows under the region's row, in the cause's world. */
async function regionRows(code: CheckCode): Promise<{ cause: Cause; rows: EcsNode[] }> {
  const cause = CAUSES.find((c) => c.code === code) ?? assert.fail(`no world for ${code}`);
  const emulator = await startEmulator({ world: cause.world() });
  try {
    const clients = emulatorClients(emulator.endpoint);
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => clients,
      log: quiet,
    });
    const [scope] = await tree.children();
    return { cause, rows: await tree.children(scope) };
  } finally {
    await emulator.close();
  }
}

test('NO_CLUSTERS: the empty region row names it, with how to choose another region', async () => {
  const {
    cause,
    rows: [row],
  } = await regionRows('NO_CLUSTERS');
  assert.equal(row.kind, 'empty');
  assert.equal(row.kind === 'empty' && row.problem?.code, 'NO_CLUSTERS');
  assert.match(row.kind === 'empty' ? (row.problem?.message ?? '') : '', cause.message);
  assert.match(
    tooltipText(row),
    /\(NO_CLUSTERS\): Region "eu-west-1" has no ECS clusters for this account\. Fix: Choose the region your clusters run in with "ECS Remote: Select AWS Profile and Region"\./,
  );
  const text = rowText(row);
  assert.equal(text.icon, 'warning');
  assert.equal(text.iconColor, 'list.errorForeground');
});

test('EXEC_KMS_KEY: the cluster row is marked too', async () => {
  const {
    rows: [cluster],
  } = await regionRows('EXEC_KMS_KEY');
  assert.equal(rowText(cluster).icon, 'warning');
  assert.match(tooltipText(cluster), /\(EXEC_KMS_KEY\): Cluster "shop" encrypts ECS Exec sessions/);
});

test('exec off: the task row reads its failure, in red', async () => {
  const cause = CAUSES.find((c) => c.code === 'EXEC_DISABLED') ?? assert.fail('no world');
  await withRows(cause.world(), {}, async ({ task }) => {
    const text = rowText(task);
    assert.equal(text.iconColor, 'list.errorForeground');
    assert.match(text.description ?? '', /ECS Exec off · ECS Exec on the task: fail$/);
  });
});

test("Diagnose targets one container, as a connection would: a container row's, a task's only one, or the one picked", async () => {
  let rows: { task: EcsNode; container: EcsNode } | undefined;
  await withRows(healthyWorld(), {}, async (found) => void (rows = found));
  const { task, container } = rows ?? assert.fail('no rows');
  const forTask = diagnosePlanForNode(task);
  assert.deepEqual(forTask?.target, {
    profile: undefined,
    region: REGION,
    cluster: CLUSTER,
    target: { kind: 'task', taskId: TASK_ID },
    container: 'app',
  });
  assert.equal(forTask?.subject, `app in task ${TASK_ID.slice(0, 8)}`);
  assert.deepEqual(containersToAsk(task), [], 'one container: nothing to ask');
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

test('Diagnose of a healthy two-container task row: asks which container, and then finds nothing wrong', async () => {
  const world = healthyWorld();
  world.ecs!.clusters[0].tasks![0].containers.push({ name: 'sidecar', image: 'envoy:1' });
  world.ecs!.taskDefinitions![0].containerDefinitions.push({
    name: 'sidecar',
    image: 'envoy:1',
    linuxParameters: { initProcessEnabled: true },
  });
  await withRows(world, {}, async ({ task, emulator, tree, findings }) => {
    assert.equal(diagnosePlanForNode(task), undefined, 'the command must ask first');
    assert.deepEqual(
      containersToAsk(task).map((c) => c.name),
      ['app', 'sidecar'],
    );
    const plan = diagnosePlanForNode(task, 'sidecar') ?? assert.fail('no plan');
    assert.equal(plan.subject, `sidecar in task ${TASK_ID.slice(0, 8)}`);
    let checked: Task | undefined;
    const results = await diagnose(plan.target, {
      clients: emulatorClients(emulator.endpoint),
      agentWaitMs: 0,
      onTask: (t) => (checked = t),
    });
    assert.deepEqual(
      results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn'),
      [],
    );
    findings.record(
      findingsKeyFor(plan, checked ?? assert.fail('no task')),
      results,
      'Diagnose Connection',
    );
    const rows = await rowsUnder(tree, await serviceRow(tree), 'sidecar');
    for (const row of [rows.task, rows.container]) assert.notEqual(rowText(row).icon, 'warning');
  });
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

/** The healthy world with `count` tasks in service "web". */
function manyTasks(count: number): World {
  const world = healthyWorld();
  const [first] = world.ecs?.clusters[0].tasks ?? [];
  const tasks = Array.from({ length: count }, (_, i) => ({
    ...first,
    id: i.toString(16).padStart(32, 'f'),
    containers: first.containers.map((c) => ({ ...c })),
  }));
  world.ecs!.clusters[0].tasks = tasks;
  return world;
}

function callsAfter(emulator: Emulator, start: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { operation } of emulator.apiCalls.slice(start)) {
    counts[operation] = (counts[operation] ?? 0) + 1;
  }
  return counts;
}

test('the deeper checks: a few IAM calls per listing for at most MAX_TASKS tasks, and a redraw asks IAM nothing', async () => {
  const world = manyTasks(MAX_TASKS + 5);
  // Denied on every task, so each checked row shows its own task's denial.
  world.iam!.policies![CALLER_ROLE] = [
    ...CALLER_POLICY,
    { Effect: 'Deny', Action: 'ssm:StartSession', Resource: `arn:aws:ecs:*:*:task/*` },
  ];
  const emulator = await startEmulator({ world, runtime: cannedRuntime() });
  try {
    const clients = emulatorClients(emulator.endpoint);
    const changed: EcsNode[] = [];
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => clients,
      log: quiet,
      changed: (node) => changed.push(node),
    });
    const service = await serviceRow(tree);
    const start = emulator.apiCalls.length;
    await tree.children(service);
    await tree.idle();
    const first = callsAfter(emulator, start);
    // The task role (shared by all tasks, asked once), and the caller's StartSession and
    // ExecuteCommand on all tasks at once. The caller once, the cluster from the listing.
    assert.equal(first.SimulatePrincipalPolicy, 3, JSON.stringify(first));
    assert.equal(first.GetCallerIdentity, 1);
    assert.equal(first.GetRole, 1);
    assert.equal(first.DescribeClusters, undefined, 'the cluster comes from the listing');
    assert.equal(first.DescribeTaskDefinition, 1);
    assert.deepEqual(changed, [service]);

    const again = emulator.apiCalls.length;
    const rows = await tree.children(service);
    await tree.idle();
    const second = callsAfter(emulator, again);
    assert.deepEqual(
      Object.keys(second).sort(),
      ['DescribeTasks', 'ListTasks'],
      'only the listing',
    );
    assert.equal(changed.length, 1, 'nothing new, no second redraw');
    assert.equal(rows.length, MAX_TASKS + 5);
    const denied = rows.filter((row) => {
      const found = problemsOf(row).find((p) => p.code === 'START_SESSION_DENIED');
      if (!found || row.kind !== 'task') return false;
      assert.match(found.message, new RegExp(`on "${row.task.arn}" \\(an explicit deny\\)`));
      return true;
    });
    assert.equal(denied.length, MAX_TASKS, 'the tasks past MAX_TASKS are left to Diagnose');

    tree.forgetChecks();
    const manual = emulator.apiCalls.length;
    await tree.children(service);
    await tree.idle();
    assert.equal(callsAfter(emulator, manual).SimulatePrincipalPolicy, 3);
  } finally {
    await emulator.close();
  }
});

test('the deeper checks when turned off, and when IAM refuses the simulation', async () => {
  const refusing = manyTasks(30);
  refusing.iam!.policies![CALLER_ROLE] = [
    { Effect: 'Allow', Action: ['ecs:*', 'ssm:StartSession'], Resource: '*' },
  ];
  const emulator = await startEmulator({ world: refusing, runtime: cannedRuntime() });
  try {
    const clients = emulatorClients(emulator.endpoint);
    let on = false;
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => clients,
      log: quiet,
      deepChecks: () => on,
    });
    const service = await serviceRow(tree);
    const start = emulator.apiCalls.length;
    await tree.children(service);
    await tree.idle();
    const off = callsAfter(emulator, start);
    assert.equal(off.SimulatePrincipalPolicy, undefined, JSON.stringify(off));
    assert.equal(off.GetCallerIdentity, undefined);

    on = true;
    const refused = emulator.apiCalls.length;
    await tree.children(service);
    await tree.idle();
    const calls = callsAfter(emulator, refused).SimulatePrincipalPolicy ?? 0;
    // Your two questions go out together, then the task role's: once IAM has refused to
    // simulate a principal, nothing asks about it again.
    assert.equal(calls, 3, `${calls} simulations after a refusal`);
    const later = emulator.apiCalls.length;
    tree.forgetChecks();
    await tree.children(service);
    await tree.idle();
    assert.equal(callsAfter(emulator, later).SimulatePrincipalPolicy, 3, 'a Refresh asks again');
    const [task] = await tree.children(service);
    const unknown = problemsOf(task).find((p) => p.code === 'TASK_ROLE_MISSING_SSMMESSAGES');
    assert.equal(unknown?.outcome, 'unknown');
    assert.notEqual(rowText(task).icon, 'warning', '"could not check" does not mark the row');
    assert.match(
      tooltipText(task),
      /\? \*\*Task role permissions\*\* \(TASK_ROLE_MISSING_SSMMESSAGES\): Could not check/,
    );
  } finally {
    await emulator.close();
  }
});

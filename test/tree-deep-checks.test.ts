// The tree's deeper checks (src/model/deepChecks.ts) when IAM and the user do not behave: a
// Refresh while a check is in flight, IAM that never answers or is throttled, new credentials,
// IAM that lets you simulate some principals only, a task role that does not exist, and which
// answer a row shows when the deeper checks and Diagnose disagree. Replies are held, failed or
// counted by SDK middleware on the test's own clients; everything else is the emulator.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AwsClients } from '../src/aws/clients.js';
import type { DeepCheckOptions } from '../src/model/deepChecks.js';
import { Findings } from '../src/model/findings.js';
import type { EcsNode } from '../src/model/nodes.js';
import { rowText, tooltipText } from '../src/model/presentation.js';
import { EcsTreeModel } from '../src/model/treeModel.js';
import { startEmulator, type Emulator, type World } from './emulator/index.js';
import {
  CALLER_POLICY,
  CALLER_ROLE,
  cannedRuntime,
  definitionOf,
  emulatorClients,
  healthyWorld,
  REGION,
  TASK_ID,
  taskOf,
} from './support/diagnoseWorlds.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Setup {
  emulator: Emulator;
  clients: AwsClients;
  tree: EcsTreeModel;
  findings: Findings;
  /** Moves the deeper checks' clock. */
  advance(ms: number): void;
}

async function withTree(
  world: World,
  body: (setup: Setup) => Promise<void>,
  options: { middleware?: (clients: AwsClients) => void; deep?: DeepCheckOptions } = {},
): Promise<void> {
  const emulator = await startEmulator({ world, runtime: cannedRuntime() });
  try {
    const clients = emulatorClients(emulator.endpoint);
    options.middleware?.(clients);
    let offset = 0;
    const findings = new Findings();
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => clients,
      log: quiet,
      findings,
      deepCheckOptions: { clock: () => Date.now() + offset, ...options.deep },
    });
    await body({ emulator, clients, tree, findings, advance: (ms) => (offset += ms) });
  } finally {
    await emulator.close();
  }
}

/** Runs `around` on every IAM call of `command` (hold it, fail it, count it). */
function onIam(
  clients: AwsClients,
  command: string,
  around: (send: () => Promise<unknown>) => Promise<unknown>,
): void {
  clients.iam.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command) return next(args);
      return (await around(() => next(args))) as Awaited<ReturnType<typeof next>>;
    },
    { step: 'initialize', name: `test-${command}-${Math.random()}` },
  );
}

async function serviceRow(tree: EcsTreeModel, name = 'web'): Promise<EcsNode> {
  const [scope] = await tree.children();
  const cluster = (await tree.children(scope)).find((n) => n.kind === 'cluster');
  const service = (await tree.children(cluster)).find(
    (n) => n.kind === 'service' && n.service.name === name,
  );
  return service ?? assert.fail(`no service ${name}`);
}

/** The task row after a listing and its deeper checks. */
async function checkedTask(tree: EcsTreeModel, service: EcsNode): Promise<EcsNode> {
  await tree.children(service);
  await tree.idle();
  const [task] = await tree.children(service);
  return task;
}

function outcomes(row: EcsNode): string[] {
  const found = row.kind === 'task' ? (row.task.problems ?? []) : [];
  return found.map((p) => `${p.code}:${p.outcome}`);
}

function simulations(emulator: Emulator, from: number): number {
  return emulator.apiCalls.slice(from).filter((c) => c.operation === 'SimulatePrincipalPolicy')
    .length;
}

function denyingStartSession(): World {
  const world = healthyWorld();
  world.iam!.policies![CALLER_ROLE] = [
    ...CALLER_POLICY,
    { Effect: 'Deny', Action: 'ssm:StartSession', Resource: '*' },
  ];
  return world;
}

test('a Refresh while a check is in flight: its answer is dropped, and the next listing asks again', async () => {
  const world = denyingStartSession();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const middleware = (clients: AwsClients) =>
    onIam(clients, 'SimulatePrincipalPolicyCommand', async (send) => {
      const reply = await send();
      await held;
      return reply;
    });
  await withTree(
    world,
    async ({ tree, emulator }) => {
      const service = await serviceRow(tree);
      await tree.children(service);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The deny is lifted, and the user refreshes while the old answer is still on its way.
      world.iam!.policies![CALLER_ROLE] = CALLER_POLICY;
      tree.forgetChecks();
      const start = emulator.apiCalls.length;
      await tree.children(service);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(simulations(emulator, start) > 0, 'the listing after Refresh asks IAM again');
      release();
      await tree.idle();
      const [task] = await tree.children(service);
      assert.ok(!outcomes(task).includes('START_SESSION_DENIED:fail'), outcomes(task).join());
    },
    { middleware },
  );
});

test('IAM that never answers: the rows draw, the check gives up at its time limit, Refresh asks again', async () => {
  let asked = 0;
  const middleware = (clients: AwsClients) =>
    onIam(clients, 'SimulatePrincipalPolicyCommand', () => {
      asked++;
      return new Promise(() => {});
    });
  await withTree(
    healthyWorld(),
    async ({ tree }) => {
      const service = await serviceRow(tree);
      const rows = await tree.children(service);
      assert.equal(rows[0].kind, 'task', 'the rows draw without waiting for IAM');
      const started = Date.now();
      await tree.idle();
      assert.ok(Date.now() - started < 5_000, 'idle() resolves once the time limit is reached');
      assert.ok(asked > 0);
      const before = asked;
      tree.forgetChecks();
      await tree.children(service);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(asked > before, 'the stuck tasks are checked again');
      await tree.idle();
    },
    { middleware, deep: { timeLimitMs: 500 } },
  );
});

test('throttled simulations are asked again a minute later, not kept for five', async () => {
  let throttle = true;
  const middleware = (clients: AwsClients) =>
    onIam(clients, 'SimulatePrincipalPolicyCommand', (send) => {
      if (!throttle) return send();
      return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    });
  await withTree(
    healthyWorld(),
    async ({ tree, advance }) => {
      const service = await serviceRow(tree);
      const first = await checkedTask(tree, service);
      assert.ok(outcomes(first).includes('TASK_ROLE_MISSING_SSMMESSAGES:unknown'));
      assert.match(tooltipText(first), /the policy simulation failed \(Throttling\)/);
      throttle = false;
      advance(61_000);
      const later = await checkedTask(tree, service);
      assert.deepEqual(outcomes(later), [], 'asked again and answered');
    },
    { middleware },
  );
});

test('new credentials for the scope: the checks use the new clients, and what the old ones learned is dropped', async () => {
  const emulator = await startEmulator({ world: denyingStartSession(), runtime: cannedRuntime() });
  try {
    const used: string[] = [];
    const tagged = (name: string) => {
      const clients = emulatorClients(emulator.endpoint);
      onIam(clients, 'SimulatePrincipalPolicyCommand', (send) => {
        used.push(name);
        return send();
      });
      return clients;
    };
    const old = tagged('old');
    const fresh = tagged('new');
    let current = old;
    const tree = new EcsTreeModel({
      scopes: () => [{ region: REGION }],
      clients: () => current,
      log: quiet,
    });
    const service = await serviceRow(tree);
    assert.ok(outcomes(await checkedTask(tree, service)).includes('START_SESSION_DENIED:fail'));
    current = fresh;
    used.length = 0;
    emulator.world.iam!.policies![CALLER_ROLE] = CALLER_POLICY;
    const after = await checkedTask(tree, service);
    assert.ok(used.length > 0 && used.every((name) => name === 'new'), used.join());
    assert.deepEqual(outcomes(after), []);
  } finally {
    await emulator.close();
  }
});

test('IAM lets you simulate your own role but not the task role: your check still runs', async () => {
  const world = healthyWorld();
  const cluster = world.ecs!.clusters[0];
  cluster.services!.push({ name: 'api', taskDefinition: 'web:1', enableExecuteCommand: true });
  cluster.tasks!.push({ ...taskOf(world), id: 'b'.repeat(32), service: 'api' });
  world.iam!.policies![CALLER_ROLE] = [
    {
      Effect: 'Allow',
      Action: ['ecs:*', 'ssm:StartSession', 'iam:GetRole'],
      Resource: '*',
    },
    { Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: CALLER_ROLE },
  ];
  await withTree(world, async ({ tree }) => {
    for (const name of ['web', 'api']) {
      const task = await checkedTask(tree, await serviceRow(tree, name));
      assert.ok(outcomes(task).includes('TASK_ROLE_MISSING_SSMMESSAGES:unknown'), name);
      assert.ok(!outcomes(task).includes('START_SESSION_DENIED:unknown'), name);
    }
  });
});

test('a task role IAM does not know: the rows fail it, with how to fix it', async () => {
  const world = healthyWorld();
  definitionOf(world).taskRoleArn = 'arn:aws:iam::111122223333:role/deleted-role';
  await withTree(world, async ({ tree }) => {
    const task = await checkedTask(tree, await serviceRow(tree));
    assert.ok(outcomes(task).includes('TASK_ROLE_MISSING_SSMMESSAGES:fail'), outcomes(task).join());
    assert.equal(rowText(task).icon, 'warning');
    assert.match(
      tooltipText(task),
      /Task role "arn:aws:iam::111122223333:role\/deleted-role" does not exist in IAM.* Fix: Create that role/,
    );
  });
});

test('which answer a row shows: a definite one beats "could not check", and a newer one an older', async () => {
  const world = denyingStartSession();
  world.iam!.policies![CALLER_ROLE] = [
    { Effect: 'Allow', Action: ['ecs:*', 'iam:GetRole'], Resource: '*' },
    { Effect: 'Deny', Action: 'ssm:StartSession', Resource: '*' },
  ];
  await withTree(world, async ({ tree, findings, advance }) => {
    const service = await serviceRow(tree);
    const first = await checkedTask(tree, service);
    assert.ok(outcomes(first).includes('START_SESSION_DENIED:unknown'), 'you may not simulate');
    assert.notEqual(rowText(first).icon, 'warning');

    // Diagnose's probe then really failed to start a session.
    const key = { scope: { region: REGION }, cluster: 'shop', taskId: TASK_ID, container: 'app' };
    const denied = {
      code: 'START_SESSION_DENIED' as const,
      title: 'Your permission to start sessions',
      outcome: 'fail' as const,
      message: 'Session Manager refused the session (AccessDeniedException).',
      fix: 'Allow your identity ssm:StartSession on the task.',
    };
    findings.record(key, [denied], 'Diagnose Connection');
    const [task] = await tree.children(service);
    assert.ok(outcomes(task).includes('START_SESSION_DENIED:fail'), outcomes(task).join());
    assert.equal(rowText(task).icon, 'warning');

    // Once the permission is there and the checks ask again, their newer pass wins.
    world.iam!.policies![CALLER_ROLE] = CALLER_POLICY;
    tree.forgetChecks();
    advance(1_000);
    const fixed = await checkedTask(tree, service);
    assert.deepEqual(outcomes(fixed), []);
  });
});

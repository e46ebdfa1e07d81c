// The tree model against the emulator through the real AWS SDK, in plain Node: every level,
// paging and batching, and the state rows (empty, error, credentials) that stand in for a level.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { createClients, type AwsClients } from '../src/aws/clients.js';
import type { EcsNode, Scope } from '../src/model/nodes.js';
import { scopeId } from '../src/model/nodes.js';
import { EcsTreeModel } from '../src/model/treeModel.js';
import type { Logger } from '../src/ssm/log.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { useEmulatorInProcess } from './support/awsEnv.js';

const REGION = 'eu-west-1';
let emulator: Emulator;
let home: string;
const lines: string[] = [];
const forgotten: string[] = [];
const clients = new Map<string, AwsClients>();

const log: Logger = {
  debug: () => undefined,
  info: (m) => lines.push(`info ${m}`),
  warn: (m) => lines.push(`warn ${m}`),
  error: (m) => lines.push(`error ${m}`),
};

function model(scopes: Scope[]): EcsTreeModel {
  return new EcsTreeModel({
    scopes: () => scopes,
    clients: (scope) => {
      const key = scopeId(scope);
      if (!clients.has(key)) clients.set(key, createClients(scope));
      return clients.get(key) as AwsClients;
    },
    forget: (scope) => {
      forgotten.push(scopeId(scope));
      clients.delete(scopeId(scope));
    },
    log,
    // Listing only: the deeper checks' IAM calls are tested in tree-diagnose.test.ts.
    deepChecks: () => false,
  });
}

const standaloneTasks = Array.from({ length: 150 }, (_, i) => ({
  id: i.toString(16).padStart(32, '0'),
  taskDefinition: 'batch:1',
  enableExecuteCommand: true,
  containers: [{ name: 'job', image: 'alpine:3.20' }],
}));

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'ecs-remote-tree-'));
  emulator = await startEmulator({
    world: {
      targets: {},
      ecs: {
        region: REGION,
        clusters: [
          {
            name: 'demo',
            services: [
              { name: 'web', taskDefinition: 'web:3', enableExecuteCommand: true },
              { name: 'idle', taskDefinition: 'idle:1', desiredCount: 0 },
            ],
            tasks: [
              {
                service: 'web',
                taskDefinition: 'web:3',
                enableExecuteCommand: true,
                containers: [
                  { name: 'app', image: 'nginx:1.27' },
                  { name: 'sidecar', image: 'envoy:1.30', execAgent: 'PENDING' },
                ],
              },
            ],
          },
          {
            name: 'big',
            services: Array.from({ length: 12 }, (_, i) => ({
              name: `svc${String(i).padStart(2, '0')}`,
              taskDefinition: 'svc:1',
            })),
            tasks: standaloneTasks,
          },
        ],
      },
    },
  });
  useEmulatorInProcess(emulator.endpoint);
  process.env.HOME = home;
});

after(async () => {
  await emulator?.close();
  rmSync(home, { recursive: true, force: true });
});

async function path(tree: EcsTreeModel, ...labels: string[]): Promise<EcsNode> {
  let node: EcsNode | undefined;
  for (const label of labels) {
    const children = await tree.children(node);
    node = children.find((child) => nameOf(child) === label);
    assert.ok(node, `"${label}" among ${children.map(nameOf).join(', ')}`);
  }
  return node as EcsNode;
}

function nameOf(node: EcsNode): string {
  if (node.kind === 'scope') return scopeId(node.scope);
  if (node.kind === 'cluster') return node.cluster.name;
  if (node.kind === 'service') return node.service.name;
  if (node.kind === 'standalone') return 'standalone';
  if (node.kind === 'task') return node.task.id;
  if (node.kind === 'container') return node.container.name;
  return node.kind;
}

test('profile and region → clusters → services and standalone tasks → tasks → containers', async () => {
  const tree = model([{ region: REGION }]);
  const [scope] = await tree.children();
  assert.equal(scope.id, `s:default@${REGION}`);
  const clusters = await tree.children(scope);
  assert.deepEqual(clusters.map(nameOf), ['big', 'demo'], 'clusters sorted by name');

  const demo = await tree.children(clusters[1]);
  assert.deepEqual(demo.map(nameOf), ['idle', 'web', 'standalone']);
  const [task] = await tree.children(demo[1]);
  assert.equal(task.kind, 'task');
  assert.equal(task.kind === 'task' && task.task.serviceName, 'web');
  assert.equal(task.kind === 'task' && task.task.execEnabled, true);

  const containers = await tree.children(task);
  assert.deepEqual(containers.map(nameOf), ['app', 'sidecar']);
  const sidecar = containers[1];
  assert.equal(sidecar.kind === 'container' && sidecar.container.agentStatus, 'PENDING');
  assert.equal(sidecar.kind === 'container' && sidecar.container.image, 'envoy:1.30');
});

test('150 standalone tasks arrive through two ListTasks pages and two DescribeTasks batches', async () => {
  const tree = model([{ region: REGION }]);
  const standalone = await path(tree, `default@${REGION}`, 'big', 'standalone');
  const before = emulator.apiCalls.length;
  const tasks = await tree.children(standalone);
  const calls = emulator.apiCalls.slice(before).map((call) => call.operation);

  assert.equal(tasks.length, 150);
  assert.equal(calls.filter((op) => op === 'ListTasks').length, 2);
  assert.equal(calls.filter((op) => op === 'DescribeTasks').length, 2);
});

test('12 services are described in batches of 10, after two ListServices pages', async () => {
  const tree = model([{ region: REGION }]);
  const big = await path(tree, `default@${REGION}`, 'big');
  const before = emulator.apiCalls.length;
  const children = await tree.children(big);
  const calls = emulator.apiCalls.slice(before).map((call) => call.operation);

  assert.equal(children.filter((c) => c.kind === 'service').length, 12);
  assert.deepEqual(calls, ['ListServices', 'ListServices', 'DescribeServices', 'DescribeServices']);
});

test('an empty level is one placeholder row', async () => {
  const tree = model([{ region: REGION }]);
  const idle = await path(tree, `default@${REGION}`, 'demo', 'idle');
  const rows = await tree.children(idle);
  assert.deepEqual(rows, [{ kind: 'empty', id: `${idle.id}/empty`, what: 'No running tasks' }]);
  const demoStandalone = await path(tree, `default@${REGION}`, 'demo', 'standalone');
  const [row] = await tree.children(demoStandalone);
  assert.equal(row.kind === 'empty' && row.what, 'No standalone tasks');
});

test('a level that fails is one error row with its code and reason, and is logged', async () => {
  const tree = model([{ region: REGION }]);
  const scope = await path(tree, `default@${REGION}`);
  const gone: EcsNode = {
    kind: 'cluster',
    id: `${scope.id}/c:gone`,
    scope: { region: REGION },
    cluster: { name: 'gone', arn: '', status: 'ACTIVE', runningTasks: 0, activeServices: 0 },
  };
  const [error, standalone] = await tree.children(gone);
  assert.equal(error.kind, 'error');
  assert.equal(error.kind === 'error' && error.code, 'ClusterNotFoundException');
  assert.equal(error.kind === 'error' && error.what, 'Could not list services in cluster "gone"');
  assert.equal(standalone.kind, 'standalone', 'the standalone row stays');
  assert.ok(lines.some((line) => /^error Could not list services in cluster "gone"/.test(line)));
});

test('an SSO profile whose session is gone is a row with the exact sign-in command', async () => {
  const config = join(home, 'aws_config');
  writeFileSync(
    config,
    '[profile dev-sso]\nsso_start_url = http://127.0.0.1:9/start\nsso_region = eu-west-1\n' +
      'sso_account_id = 123456789012\nsso_role_name = Dev\n',
  );
  process.env.AWS_CONFIG_FILE = config;
  const scope: Scope = { profile: 'dev-sso', region: REGION };
  const tree = model([scope]);
  const [row] = await tree.children((await tree.children())[0]);

  assert.equal(row.kind, 'credentials');
  assert.equal(row.kind === 'credentials' && row.problem, 'expired');
  assert.equal(row.kind === 'credentials' && row.signInCommand, 'aws sso login --profile dev-sso');
  assert.ok(forgotten.includes('dev-sso@eu-west-1'), 'cached clients are dropped');
});

test('a profile without credentials is a row that leads to the profile command', async () => {
  const tree = model([{ profile: 'nobody', region: REGION }]);
  const [row] = await tree.children((await tree.children())[0]);
  assert.equal(row.kind, 'credentials');
  assert.equal(row.kind === 'credentials' && row.problem, 'missing');
  assert.equal(row.kind === 'credentials' && row.signInCommand, undefined);
});

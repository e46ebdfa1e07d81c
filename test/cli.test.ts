// `ecs-ssh` as a person types it: ls, config and proxy with --help, bad input with a clear
// message and exit status, all through dist/cli.js against the emulator.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type Emulator } from './emulator/index.js';
import { CLI, requireBundles, runProcess } from './support/e2e.js';

let emulator: Emulator;
let dir: string;

before(async () => {
  requireBundles();
  dir = mkdtempSync(join(tmpdir(), 'ecs-remote-cli-'));
  emulator = await startEmulator({
    world: {
      targets: {},
      ecs: {
        clusters: [
          { name: 'empty' },
          {
            name: 'shop',
            services: [{ name: 'api', taskDefinition: 'api:4', enableExecuteCommand: true }],
            tasks: [
              {
                service: 'api',
                taskDefinition: 'api:4',
                enableExecuteCommand: true,
                containers: [{ name: 'app', image: 'shop/api:1.2' }, { name: 'envoy' }],
              },
              {
                id: '9'.repeat(32),
                taskDefinition: 'batch:1',
                startedBy: 'cron',
                containers: [{ name: 'job', execAgent: 'PENDING' }],
              },
            ],
          },
        ],
      },
    },
  });
});

after(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runProcess(process.execPath, [CLI, ...args], emulator.endpoint);

test('ls lists clusters, then one cluster as services, tasks and containers', async () => {
  const clusters = await cli('ls');
  assert.equal(clusters.code, 0, clusters.stderr);
  assert.match(
    clusters.stdout.toString(),
    /^empty {2}ACTIVE {2}0 running\nshop {2}ACTIVE {2}2 running\n$/,
  );

  const shop = (await cli('ls', '--cluster', 'shop')).stdout.toString();
  assert.match(
    shop,
    /^service api\n {2}task [0-9a-f]{32} {2}RUNNING {2}exec on {2}api:\d+( {2}started \S+ ago)?\n {4}container app/,
  );
  assert.match(shop, /container envoy {2}RUNNING {2}agent RUNNING/);
  assert.match(
    shop,
    /standalone tasks\n {2}task 9{32} {2}RUNNING {2}exec OFF[^\n]*\n {4}container job {2}RUNNING {2}agent PENDING/,
  );

  const json = JSON.parse((await cli('ls', '--cluster', 'shop', '--json')).stdout.toString());
  assert.deepEqual(json.services, ['api']);
  assert.equal(json.tasks.length, 2);
  assert.match(json.tasks[0].taskDefinition, /^\w+:\d+$/);
});

test('ls on an unknown cluster says so and exits 1', async () => {
  const run = await cli('ls', '--cluster', 'nope');
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    'ecs-ssh ls: Cluster "nope" was not found in region eu-west-1. Run "ecs-ssh ls" to list the clusters there.\n',
  );
});

test('config asks for the container when a task has several, then writes the block', async () => {
  const config = join(dir, 'config');
  const state = join(dir, 'state');
  const several = await cli('config', 'service/api', '--cluster', 'shop', '--config', config);
  assert.equal(several.code, 1);
  assert.match(
    several.stderr,
    /has several containers; choose one of them with --container: app, envoy/,
  );

  const args = ['--container', 'envoy', '--config', config, '--state-dir', state];
  const run = await cli('config', 'service/api', '--cluster', 'shop', ...args);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'ecs--default--eu-west-1--shop--service-api--envoy\n');
  assert.match(
    readFileSync(config, 'utf8'),
    /ProxyCommand .*cli\.js proxy .*--target service\/api/,
  );
});

test('every command has --help; unknown commands and bad flags exit 2 or 1 with the fix', async () => {
  for (const command of ['ls', 'config']) {
    const help = await cli(command, '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout.toString(), /^Usage: ecs-ssh /);
  }
  const proxyHelp = await cli('proxy', '--help');
  assert.equal(proxyHelp.code, 0);
  assert.equal(proxyHelp.stdout.length, 0, 'the proxy keeps stdout for SSH, even for --help');
  assert.match(proxyHelp.stderr, /^Usage: ecs-ssh proxy/);

  const unknown = await cli('lss');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "lss"/);
  const badProxy = await cli('proxy', '--cluster', 'x');
  assert.equal(badProxy.code, 2);
  assert.match(badProxy.stderr, /BAD_ARGUMENTS: missing --target/);
  const badPort = await cli(
    'proxy',
    '--cluster',
    'x',
    '--target',
    't',
    '--public-key',
    'k',
    '--known-hosts',
    'h',
    '--host-key-alias',
    'a',
    '--port',
    '0',
  );
  assert.match(badPort.stderr, /--port must be a whole number from 1 to 65535/);
});

test('config checks the container and the target now, not at ssh time', async () => {
  const config = join(dir, 'config-checked');
  const state = join(dir, 'state');
  const base = ['--cluster', 'shop', '--config', config, '--state-dir', state];
  const typo = await cli('config', 'service/api', '--container', 'ap', ...base);
  assert.equal(typo.code, 1);
  assert.match(
    typo.stderr,
    /has no container "ap"; choose one of them with --container: app, envoy/,
  );
  const bare = await cli('config', 'api', '--container', 'app', ...base);
  assert.equal(bare.code, 1);
  assert.match(bare.stderr, /If "api" is a service, give service\/api/);
  const pending = await cli('config', '9'.repeat(32), '--container', 'job', ...base);
  assert.equal(pending.code, 0, 'a state that may change only warns');
  assert.match(pending.stderr, /warning: .*ECS Exec is off/);
  const arn = `arn:aws:ecs:eu-west-1:111122223333:task/shop/${'9'.repeat(32)}`;
  const viaArn = await cli('config', arn, '--container', 'job', ...base);
  assert.equal(viaArn.stdout.toString(), pending.stdout.toString(), 'an ARN gives the same alias');
  await assert.rejects(
    cli('config', 'x', '--cluster').then((run) => (run.code === 0 ? run : Promise.reject(run))),
  );
});

test('an unknown flag points at --help', async () => {
  const run = await cli('ls', '--clustr', 'shop');
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Unknown option '--clustr'\. See "ecs-ssh ls --help"\./);
});

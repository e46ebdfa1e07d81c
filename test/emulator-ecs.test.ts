// The emulator's ECS API through the real AWS SDK: paging, AWS's limits and error shapes,
// optional members, and the lifecycle controls that keep Session Manager targets in step.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ExecuteCommandCommand,
  ListServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { listClusters, listTasks } from '../src/aws/inventory.js';
import { runCommand } from '../src/ssm/connect.js';
import { SsmSessions } from '../src/ssm/ssmSessions.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { FAKE_ACCESS_KEY, FAKE_SECRET_KEY, ssmClient } from './support/awsEnv.js';

let emulator: Emulator;
let ecs: ECSClient;

const tasks = Array.from({ length: 250 }, (_, i) => ({
  taskDefinition: 'worker:2',
  service: i < 200 ? 'worker' : undefined,
  enableExecuteCommand: i % 2 === 0,
  containers: [{ name: 'app', image: 'debian:bookworm', ports: {} }],
}));

before(async () => {
  emulator = await startEmulator({
    world: {
      targets: {},
      ecs: {
        clusters: [
          ...Array.from({ length: 120 }, (_, i) => ({ name: `c${i}` })),
          {
            name: 'big',
            services: Array.from({ length: 23 }, (_, i) => ({
              name: i === 0 ? 'worker' : `svc${i}`,
              taskDefinition: 'worker:2',
              enableExecuteCommand: true,
            })),
            tasks: [
              ...tasks,
              {
                id: 'pending0000000000000000000000000',
                taskDefinition: 'worker:2',
                lastStatus: 'RUNNING',
                enableExecuteCommand: true,
                containers: [{ name: 'app', lastStatus: 'PENDING', execAgent: 'PENDING' }],
              },
            ],
          },
        ],
        taskDefinitions: [
          {
            family: 'worker',
            revision: 2,
            containerDefinitions: [
              { name: 'app', image: 'debian', linuxParameters: { initProcessEnabled: true } },
            ],
          },
        ],
      },
    },
  });
  ecs = new ECSClient({
    endpoint: emulator.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET_KEY },
  });
});

after(async () => {
  await emulator?.close();
});

test('lists follow nextToken: 121 clusters, 251 tasks, 23 services in pages', async () => {
  assert.equal((await listClusters(ecs)).length, 121);
  const all = await listTasks(ecs, 'big');
  assert.equal(all.length, 251);
  const first = await ecs.send(new ListServicesCommand({ cluster: 'big' }));
  assert.equal(first.serviceArns?.length, 10, 'ListServices pages by 10 by default');
  assert.ok(first.nextToken);
  const byService = await ecs.send(new ListTasksCommand({ cluster: 'big', serviceName: 'worker' }));
  assert.equal(byService.taskArns?.length, 100);
  assert.ok(byService.nextToken, 'a second page follows');
});

test('DescribeTasks takes at most 100 tasks and reports missing ones as failures', async () => {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: 'big' }))).taskArns ?? [];
  await assert.rejects(
    ecs.send(new DescribeTasksCommand({ cluster: 'big', tasks: [...arns, 'x'] })),
    (error: Error) => error.name === 'InvalidParameterException',
  );
  const reply = await ecs.send(
    new DescribeTasksCommand({ cluster: 'big', tasks: [arns[0], 'nope'] }),
  );
  assert.equal(reply.tasks?.length, 1);
  assert.deepEqual(
    reply.failures?.map((f) => f.reason),
    ['MISSING'],
  );
});

test('tasks carry runtime ids, agents, epoch timestamps and architecture; PENDING has no runtime id', async () => {
  const reply = await ecs.send(
    new DescribeTasksCommand({ cluster: 'big', tasks: ['pending0000000000000000000000000'] }),
  );
  const task = reply.tasks?.[0];
  assert.ok(task?.createdAt instanceof Date, 'timestamps parse as dates');
  assert.equal(task?.containers?.[0].runtimeId, undefined);
  assert.equal(task?.containers?.[0].managedAgents?.[0].lastStatus, 'PENDING');
  assert.equal(task?.attributes?.[0].name, 'ecs.cpu-architecture');
  assert.equal(task?.platformVersion, '1.4.0');
  const [running] = await listTasks(ecs, 'big', { serviceName: 'worker' });
  assert.match(running.containers?.[0].runtimeId ?? '', /^[0-9a-f]{32}-\d+$/);
  assert.equal(running.group, 'service:worker');
});

test('errors are shaped as ECS shapes them', async () => {
  await assert.rejects(
    ecs.send(new ListTasksCommand({ cluster: 'missing' })),
    (error: Error) =>
      error.name === 'ClusterNotFoundException' && error.message === 'Cluster not found.',
  );
  await assert.rejects(
    ecs.send(new ListTasksCommand({ cluster: 'big', serviceName: 'nope' })),
    (error: Error) => error.name === 'ServiceNotFoundException',
  );
  await assert.rejects(
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })),
    (error: Error) => error.name === 'ClientException',
  );
  const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['big', 'gone'] }));
  assert.equal(clusters.failures?.[0].reason, 'MISSING');
  const definition = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: 'worker' }),
  );
  assert.equal(
    definition.taskDefinition?.containerDefinitions?.[0].linuxParameters?.initProcessEnabled,
    true,
  );
});

test('exec-reachable containers become targets; stopping a task removes its target', async () => {
  const [task] = await listTasks(ecs, 'big', { serviceName: 'worker' });
  const taskId = task.taskArn?.split('/').pop() ?? '';
  const target = `ecs:big_${taskId}_${task.containers?.[0].runtimeId}`;
  assert.ok(emulator.world.targets[target], 'the exec-enabled task is a target');
  const disabled = (await listTasks(ecs, 'big')).find((t) => !t.enableExecuteCommand);
  const disabledId = disabled?.taskArn?.split('/').pop();
  assert.ok(!Object.keys(emulator.world.targets).some((id) => id.includes(`_${disabledId}_`)));

  await emulator.ecs?.stopTask('big', taskId);
  assert.equal(emulator.world.targets[target], undefined);
  const stopped = await ecs.send(new DescribeTasksCommand({ cluster: 'big', tasks: [taskId] }));
  assert.equal(stopped.tasks?.[0].lastStatus, 'STOPPED');
});

test('UpdateService with a new deployment replaces the task; ExecuteCommand answers in lower case', async () => {
  await ecs.send(
    new UpdateServiceCommand({
      cluster: 'big',
      service: 'svc3',
      enableExecuteCommand: true,
      forceNewDeployment: true,
    }),
  );
  await emulator.ecs?.settle();
  const [task] = await listTasks(ecs, 'big', { serviceName: 'svc3' });
  assert.equal(task.enableExecuteCommand, true);
  const service = await ecs.send(
    new DescribeServicesCommand({ cluster: 'big', services: ['svc3'] }),
  );
  assert.equal(service.services?.[0].enableExecuteCommand, true);

  const exec = await ecs.send(
    new ExecuteCommandCommand({
      cluster: 'big',
      task: task.taskArn,
      interactive: true,
      command: 'true',
    }),
  );
  assert.match(exec.session?.sessionId ?? '', /^ecs-execute-command-/);
  assert.ok(exec.session?.tokenValue && exec.session.streamUrl);
});

test('restarting a container in place gives it a new runtime id and target', async () => {
  const running = await listTasks(ecs, 'big', { serviceName: 'worker' });
  const task = running.find((t) => t.enableExecuteCommand) ?? assert.fail('no exec task');
  const taskId = task.taskArn?.split('/').pop() ?? '';
  const before = task.containers?.[0].runtimeId;
  const container = await emulator.ecs?.restartContainer('big', taskId, 'app');
  assert.notEqual(container?.runtimeId, before);
  assert.ok(emulator.world.targets[`ecs:big_${taskId}_${container?.runtimeId}`]);
  assert.equal(emulator.world.targets[`ecs:big_${taskId}_${before}`], undefined);
});

test('a world with an unknown image or a non-loopback port is refused when it loads', async () => {
  const world = (container: object) => ({
    targets: {},
    ecs: { clusters: [{ name: 'c', tasks: [{ taskDefinition: 'a:1', containers: [container] }] }] },
  });
  await assert.rejects(
    startEmulator({ world: world({ name: 'x', emulatedImage: 'ubuntu' }) as never }),
    /emulatedImage must be one of sshd, apt-local, offline, not "ubuntu"/,
  );
  await assert.rejects(
    startEmulator({ world: world({ name: 'x', ports: { '22': '10.0.0.1:22' } }) as never }),
    /port 22 must map to "127.0.0.1:<port>", not "10.0.0.1:22"/,
  );
});

test('a container without an emulatedImage runs no command on this machine: it refuses, saying what to set', async () => {
  const running = await listTasks(ecs, 'big', { serviceName: 'worker' });
  const task = running.find((t) => t.enableExecuteCommand) ?? assert.fail('no task with exec');
  const container = task.containers?.[0];
  const target = `ecs:big_${task.taskArn?.split('/').pop()}_${container?.runtimeId}`;
  const marker = join(tmpdir(), `ecs-remote-imageless-${process.pid}`);
  const result = await runCommand(
    new SsmSessions(ssmClient(emulator.endpoint)),
    target,
    `touch ${marker}`,
  );
  assert.equal(existsSync(marker), false, 'the command ran on this machine');
  const output = `${result.stdout.toString()}${result.stderr.toString()}`;
  assert.match(output, /has no image to run commands in; give its container an "emulatedImage"/);
});

// The emulator's IAM and STS (query protocol, XML), through the AWS SDK's own clients: caller
// identity, policy simulation with explicit and implicit denies, access denied for a caller
// who may not simulate, roles with paths; and what IAM means for StartSession and for agents.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
} from '@aws-sdk/client-ecs';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { StartSessionCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

import { startEmulator, type Emulator } from './emulator/index.js';
import {
  ACCOUNT,
  CALLER,
  CALLER_POLICY,
  CALLER_ROLE,
  CLUSTER,
  emulatorClients,
  healthyWorld,
  SSMMESSAGES,
  TASK_ID,
  TASK_ROLE,
} from './support/diagnoseWorlds.js';

let emulator: Emulator;
let clients: ReturnType<typeof emulatorClients>;

before(async () => {
  const world = healthyWorld();
  world.iam!.policies![TASK_ROLE] = [
    { Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*' },
    { Effect: 'Deny', Action: 'ssmmessages:OpenDataChannel', Resource: '*' },
  ];
  world.iam!.policies![CALLER_ROLE] = [
    ...CALLER_POLICY,
    { Effect: 'Deny', Action: 'ssm:StartSession', Resource: `arn:aws:ecs:*:${ACCOUNT}:task/*` },
  ];
  const cluster = world.ecs!.clusters[0];
  cluster.executeCommandConfiguration = { kmsKeyId: 'key-1', logging: 'DEFAULT' };
  cluster.containerInstances = [{ id: 'c'.repeat(32), agentVersion: '1.48.1' }];
  cluster.tasks!.push({
    id: 'e'.repeat(32),
    taskDefinition: 'web:1',
    launchType: 'EC2',
    containerInstance: 'c'.repeat(32),
    enableExecuteCommand: true,
    containers: [{ name: 'app' }],
  });
  emulator = await startEmulator({ world });
  clients = emulatorClients(emulator.endpoint);
});

after(async () => {
  await emulator?.close();
});

test('STS GetCallerIdentity returns the world caller and account', async () => {
  const reply = await clients.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(reply.Arn, CALLER);
  assert.equal(reply.Account, ACCOUNT);
  assert.match(reply.UserId ?? '', /^AROA.*:jane$/);
});

test('SimulatePrincipalPolicy: allowed, explicit deny and implicit deny, per action and per resource', async () => {
  const reply = await clients.iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: TASK_ROLE,
      ActionNames: [...SSMMESSAGES, 'logs:PutLogEvents'],
    }),
  );
  const decisions = Object.fromEntries(
    (reply.EvaluationResults ?? []).map((r) => [r.EvalActionName, r.EvalDecision]),
  );
  assert.deepEqual(decisions, {
    'ssmmessages:CreateControlChannel': 'allowed',
    'ssmmessages:CreateDataChannel': 'allowed',
    'ssmmessages:OpenControlChannel': 'allowed',
    'ssmmessages:OpenDataChannel': 'explicitDeny',
    'logs:PutLogEvents': 'implicitDeny',
  });
  const task = `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/${CLUSTER}/${TASK_ID}`;
  const caller = await clients.iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: CALLER_ROLE,
      ActionNames: ['ssm:StartSession'],
      ResourceArns: [task, 'arn:aws:ssm:eu-west-1::document/AWS-StartSSHSession'],
    }),
  );
  // As IAM answers today: one result per action with the most restrictive decision, and each
  // resource's own decision in ResourceSpecificResults.
  assert.equal(caller.EvaluationResults?.length, 1);
  const [result] = caller.EvaluationResults ?? [];
  assert.equal(result.EvalDecision, 'explicitDeny');
  assert.deepEqual(
    result.ResourceSpecificResults?.map((r) => [r.EvalResourceName, r.EvalResourceDecision]),
    [
      [task, 'explicitDeny'],
      ['arn:aws:ssm:eu-west-1::document/AWS-StartSSHSession', 'allowed'],
    ],
  );
});

test('IAM errors: a caller who may not simulate gets AccessDenied; unknown principals NoSuchEntity', async () => {
  await assert.rejects(
    clients.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/nobody`,
        ActionNames: ['s3:GetObject'],
      }),
    ),
    (error: Error) => /NoSuchEntity/.test(error.name) && /cannot be found/.test(error.message),
  );
  const saved = emulator.world.iam!.policies![CALLER_ROLE];
  emulator.world.iam!.policies![CALLER_ROLE] = [{ Effect: 'Allow', Action: 'ecs:*' }];
  try {
    await assert.rejects(
      clients.iam.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: TASK_ROLE, ActionNames: ['x:Y'] }),
      ),
      (error: Error) =>
        error.name === 'AccessDenied' &&
        error.message.includes('not authorized to perform: iam:SimulatePrincipalPolicy'),
    );
  } finally {
    emulator.world.iam!.policies![CALLER_ROLE] = saved;
  }
});

test('GetRole returns the role with its path', async () => {
  const reply = await clients.iam.send(new GetRoleCommand({ RoleName: 'Developer' }));
  assert.equal(reply.Role?.Arn, CALLER_ROLE);
  assert.equal(reply.Role?.Path, '/team/');
});

test('StartSession obeys an explicit deny on tasks, in the words SSM uses', async () => {
  const task = emulator.ecs?.state.findTask(CLUSTER, TASK_ID);
  const target = `ecs:${CLUSTER}_${TASK_ID}_${task?.containers[0].runtimeId}`;
  await assert.rejects(
    clients.ssm.send(
      new StartSessionCommand({ Target: target, DocumentName: 'AWS-StartSSHSession' }),
    ),
    (error: Error) =>
      error.name === 'AccessDeniedException' &&
      /not authorized to perform: ssm:StartSession on resource: arn:aws:ecs:eu-west-1:111122223333:task\/shop\/a{32} with an explicit deny/.test(
        error.message,
      ),
  );
});

test('ECS: container instances with their agent version, configuration only when asked for', async () => {
  const plain = await clients.ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }));
  assert.equal(plain.clusters?.[0].configuration, undefined);
  const full = await clients.ecs.send(
    new DescribeClustersCommand({ clusters: [CLUSTER], include: ['CONFIGURATIONS'] }),
  );
  assert.equal(full.clusters?.[0].configuration?.executeCommandConfiguration?.kmsKeyId, 'key-1');

  const tasks = await clients.ecs.send(
    new DescribeTasksCommand({ cluster: CLUSTER, tasks: ['e'.repeat(32)] }),
  );
  const instanceArn = tasks.tasks?.[0].containerInstanceArn ?? assert.fail('no instance ARN');
  assert.match(instanceArn, /:container-instance\/shop\/c{32}$/);
  const instances = await clients.ecs.send(
    new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [instanceArn] }),
  );
  assert.equal(instances.containerInstances?.[0].versionInfo?.agentVersion, '1.48.1');
});

test('agents that cannot register stay targets that are not connected', () => {
  const targets = emulator.world.targets;
  const byTask = (id: string) =>
    Object.entries(targets).find(([target]) => target.includes(`_${id}_`));
  assert.equal(byTask(TASK_ID)?.[1].connected, false, 'the task role may not OpenDataChannel');
  assert.equal(byTask('e'.repeat(32))?.[1].connected, false, 'the ECS agent is older than 1.50.2');
});

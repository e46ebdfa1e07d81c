// The connection checks as pure functions: checkTask on what ECS returns, which finding explains
// a failure, the reports, the reading of credential errors, probe output and IAM's simulation
// answers. No AWS, no emulator.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type {
  IAMClient,
  SimulatePrincipalPolicyCommand,
  SimulatePrincipalPolicyCommandOutput,
} from '@aws-sdk/client-iam';

import {
  checkTask,
  credentialFailure,
  explainFailure,
  primaryProblem,
  problems,
  renderLine,
  renderReport,
  renderText,
  summarize,
  type CheckResult,
} from '../src/diagnose/index.js';
import { readProbe } from '../src/diagnose/containerProbe.js';
import { compareVersions } from '../src/diagnose/result.js';
import { forResources, simulate } from '../src/diagnose/simulation.js';
import { ProxyError } from '../src/proxy/proxyError.js';

const ARN = 'arn:aws:ecs:eu-west-1:111122223333';

function task(changes: Partial<Task> = {}): Task {
  return {
    taskArn: `${ARN}:task/shop/${'a'.repeat(32)}`,
    clusterArn: `${ARN}:cluster/shop`,
    taskDefinitionArn: `${ARN}:task-definition/web:1`,
    lastStatus: 'RUNNING',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    enableExecuteCommand: true,
    group: 'service:web',
    containers: [container('app')],
    ...changes,
  };
}

/** `agent` null: no managedAgents at all, as on sidecars AWS adds. */
function container(name: string, agent: string | null = 'RUNNING') {
  return {
    name,
    runtimeId: `${'a'.repeat(32)}-1`,
    ...(agent && { managedAgents: [{ name: 'ExecuteCommandAgent' as const, lastStatus: agent }] }),
  };
}

function definition(changes: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    family: 'web',
    revision: 1,
    taskRoleArn: 'arn:aws:iam::111122223333:role/web-task',
    containerDefinitions: [{ name: 'app', linuxParameters: { initProcessEnabled: true } }],
    ...changes,
  };
}

const codesOf = (results: CheckResult[]) => problems(results).map((r) => `${r.code}:${r.outcome}`);

test('checkTask: a running task with exec, its agent and a sound definition has no problem', () => {
  assert.deepEqual(codesOf(checkTask(task(), definition())), []);
});

test('checkTask: without the service it claims nothing about it, but still offers the redeploy', () => {
  const [exec] = problems(checkTask(task({ enableExecuteCommand: false }), definition()));
  assert.equal(
    exec.message,
    `ECS Exec is off on task "${'a'.repeat(32)}": the flag is fixed when a task starts.`,
  );
  assert.deepEqual(exec.action, { kind: 'enableExecAndRedeploy', cluster: 'shop', service: 'web' });
  const standalone = problems(
    checkTask(task({ enableExecuteCommand: false, group: 'family:web' })),
  );
  assert.equal(standalone[0].action, undefined);
  assert.match(standalone[0].fix ?? '', /^Run the task again with ECS Exec on/);
});

test('checkTask: a stopped task is one problem; its agent is not checked', () => {
  const results = checkTask(
    task({ lastStatus: 'STOPPED', stoppedReason: 'Essential container exited' }),
  );
  assert.deepEqual(codesOf(results), ['TASK_NOT_RUNNING:fail']);
  assert.match(results[0].message, /is STOPPED \(Essential container exited\), not RUNNING\.$/);
  assert.match(results[0].fix ?? '', /^Connect to service\/web/);
  assert.match(results.find((r) => r.title === 'ECS Exec agent')?.message ?? '', /^Not checked: /);
});

test('checkTask: several containers for a tree row pass when one can be reached; a connection needs a name', () => {
  const two = task({ containers: [container('app', 'STOPPED'), container('envoy')] });
  assert.deepEqual(codesOf(checkTask(two, definition())), []);
  assert.deepEqual(codesOf(checkTask(two, definition(), { connecting: true })), [
    'CONTAINER_NOT_FOUND:fail',
  ]);
  assert.deepEqual(codesOf(checkTask(two, definition(), { container: 'app' })), [
    'AGENT_STOPPED:fail',
  ]);
  const none = task({ containers: [container('app', null)] });
  assert.deepEqual(codesOf(checkTask(none, definition())), ['AGENT_MISSING:fail']);
});

test('checkTask: AWS keys in secrets count too; a key id alone does not; values are never read out', () => {
  const keys = definition({
    containerDefinitions: [
      {
        name: 'app',
        linuxParameters: { initProcessEnabled: true },
        environment: [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAVALUE' }],
        secrets: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: 'arn:aws:secretsmanager:x' }],
      },
    ],
  });
  const [found] = problems(checkTask(task(), keys));
  assert.equal(found.code, 'AWS_KEYS_IN_ENVIRONMENT');
  assert.doesNotMatch(JSON.stringify(found), /AKIAVALUE|secretsmanager/);
  const idOnly = definition({
    containerDefinitions: [
      {
        name: 'app',
        linuxParameters: { initProcessEnabled: true },
        environment: [{ name: 'AWS_ACCESS_KEY_ID', value: 'x' }],
      },
    ],
  });
  assert.deepEqual(codesOf(checkTask(task(), idOnly)), []);
});

test('checkTask: versions compare as numbers; what cannot be read is skipped, never guessed', () => {
  assert.equal(compareVersions('1.50.2', '1.9.0'), 1);
  assert.equal(compareVersions('1.4', '1.4.0'), 0);
  assert.equal(compareVersions('LATEST', '1.4.0'), undefined);
  const latest = checkTask(task({ platformVersion: 'LATEST' }), definition());
  assert.equal(latest.find((r) => r.code === 'FARGATE_PLATFORM_TOO_OLD')?.outcome, 'skip');
  const ec2 = checkTask(
    task({ launchType: 'EC2', containerInstanceArn: `${ARN}:container-instance/shop/c` }),
  );
  assert.equal(ec2.find((r) => r.code === 'ECS_AGENT_TOO_OLD')?.outcome, 'skip');
  assert.ok(ec2.filter((r) => r.title === 'Task role').every((r) => r.outcome === 'skip'));
});

function result(code: CheckResult['code'], outcome: CheckResult['outcome']): CheckResult {
  return { code, title: code, outcome, message: `${code} found.`, fix: `Fix ${code}.` };
}

test('primaryProblem: a warning explains a symptom; a real cause beats a warning; init never explains', () => {
  const keys = result('AWS_KEYS_IN_ENVIRONMENT', 'warn');
  const symptom = result('TARGET_NOT_CONNECTED', 'fail');
  assert.equal(primaryProblem([symptom, keys]), keys);
  const kms = result('EXEC_KMS_KEY', 'fail');
  assert.equal(primaryProblem([keys, kms]), kms);
  assert.equal(primaryProblem([result('INIT_PROCESS_OFF', 'warn'), symptom]), symptom);
  assert.equal(primaryProblem([keys, result('NO_CREDENTIALS', 'pass')]), undefined);
  const exec = result('EXEC_DISABLED', 'fail');
  assert.equal(primaryProblem([result('AGENT_STOPPED', 'fail'), exec]), exec);
});

test('renderReport: problems first with their fix, Markdown specials escaped, the rest listed after', () => {
  const results = [
    result('NO_CREDENTIALS', 'pass'),
    {
      ...result('START_SESSION_DENIED', 'fail'),
      message: 'Denied on task/shop/* for AWS_PROFILE.',
    },
    result('INIT_PROCESS_OFF', 'warn'),
  ];
  const markdown = renderReport(results, 'service/web');
  assert.match(
    markdown,
    /^# Why can't I connect: service\/web\?\n\n\*\*1 problem blocks the connection; 1 warning\.\*\*\n/,
  );
  assert.match(
    markdown,
    /## ❌ START\\_SESSION\\_DENIED \(`START_SESSION_DENIED`\)\n\nDenied on task\/shop\/\\\* for AWS\\_PROFILE\.\n\n\*\*Fix:\*\* /,
  );
  assert.ok(markdown.indexOf('❌') < markdown.indexOf('⚠️'), 'failures before warnings');
  assert.match(
    markdown,
    /## Checks that passed or do not apply\n\n- ✅ \*\*NO\\_CREDENTIALS\*\*: NO\\_CREDENTIALS found\.\n/,
  );
  assert.equal(
    summarize([result('EXEC_DISABLED', 'fail'), result('NO_TASK_ROLE', 'fail')]),
    '2 problems block the connection.',
  );
  assert.equal(
    summarize([result('NO_TASK_ROLE', 'unknown')]),
    'Nothing blocks the connection; 1 check could not be run.',
  );
});

test('renderText wraps at the width with deeper continuation lines; renderLine is one line', () => {
  const long = { ...result('AGENT_STOPPED', 'fail'), message: 'word '.repeat(40).trim() + '.' };
  const text = renderText([long], undefined, 60);
  const lines = text.split('\n');
  assert.ok(
    lines.every((line) => line.length <= 60),
    text,
  );
  assert.equal(lines[0], 'FAIL  AGENT_STOPPED [AGENT_STOPPED]');
  assert.match(lines[1], /^ {6}word/);
  assert.match(lines[2], /^ {8}word/);
  assert.equal(renderLine(long), `AGENT_STOPPED: ${long.message} Fix: Fix AGENT_STOPPED.`);
});

test('credentialFailure: SSO sessions get the exact command, quoted; other errors are told apart', () => {
  const sso = Object.assign(
    new Error(
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    ),
    { name: 'CredentialsProviderError' },
  );
  const found = credentialFailure(sso, "team dev's");
  assert.equal(found?.code, 'SSO_EXPIRED');
  assert.equal(found?.fix, `Run "aws sso login --profile 'team dev'\\''s'", then try again.`);
  const token = Object.assign(
    new Error(
      "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    ),
    { name: 'TokenProviderError' },
  );
  assert.equal(credentialFailure(token, 'dev')?.code, 'SSO_EXPIRED');
  const expired = Object.assign(
    new Error('The security token included in the request is expired'),
    { name: 'ExpiredTokenException' },
  );
  assert.equal(credentialFailure(expired)?.code, 'CREDENTIALS_EXPIRED');
  const invalid = Object.assign(new Error('The security token is invalid.'), {
    name: 'InvalidClientTokenId',
  });
  assert.match(
    credentialFailure(invalid)?.message ?? '',
    /AWS does not accept them \(InvalidClientTokenId\)\.$/,
  );
  assert.equal(
    credentialFailure(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })),
    undefined,
  );
});

test('readProbe: sshd found, installable, a coded error, no shell, or no result at all', () => {
  assert.equal(readProbe('ECSR-RESULT probe sshd=/usr/sbin/sshd\n', 'app').outcome, 'pass');
  assert.match(
    readProbe('x\nECSR-RESULT probe install=apt\n', 'app').message,
    /apt can install it/,
  );
  const space = readProbe('ECSR-RESULT error code=NO_SPACE reason=disk full\n', 'app');
  assert.equal(space.code, 'BOOTSTRAP_NO_SPACE');
  assert.equal(space.message, 'Starting sshd in container "app" failed: disk full.');
  const shell = readProbe('exec: "sh": executable file not found in $PATH', 'app');
  assert.equal(shell.code, 'BOOTSTRAP_NO_SHELL');
  const nothing = readProbe('Session could not start.', 'app');
  assert.equal(nothing.code, 'BOOTSTRAP_NO_RESULT');
  assert.match(
    nothing.message,
    /ended without a result; its last output was: Session could not start\.$/,
  );
});

test('explainFailure: a bootstrap code needs no AWS call; errors it cannot explain stay as they are', async () => {
  const context = {
    cluster: 'shop',
    target: { kind: 'task' as const, taskId: 'x' },
    container: 'app',
  };
  const port = new ProxyError(
    'BOOTSTRAP_PORT_IN_USE',
    'starting sshd in the container failed: port 52222 is taken by another process in the container',
  );
  const found = await explainFailure(port, context);
  assert.equal(found?.code, 'BOOTSTRAP_PORT_IN_USE');
  assert.equal(
    found?.message,
    'Starting sshd in container "app" failed: port 52222 is taken by another process in the container.',
  );
  assert.match(found?.fix ?? '', /^Give the Host block another --port/);
  assert.equal(
    await explainFailure(new ProxyError('KEY_UNREADABLE', 'cannot read'), context),
    undefined,
  );
});

test('the simulation read both ways IAM has answered, over pages, and split per task', async () => {
  const taskA = 'arn:aws:ecs:eu-west-1:111122223333:task/shop/aaaa';
  const taskB = 'arn:aws:ecs:eu-west-1:111122223333:task/shop/bbbb';
  const doc = 'arn:aws:ssm:eu-west-1::document/AWS-StartSSHSession';
  const pages: SimulatePrincipalPolicyCommandOutput[] = [
    {
      $metadata: {},
      IsTruncated: true,
      Marker: 'page-2',
      // Today's form: one result per action, each resource's decision inside.
      EvaluationResults: [
        {
          EvalActionName: 'ssm:StartSession',
          EvalDecision: 'explicitDeny',
          EvalResourceName: '*',
          ResourceSpecificResults: [
            { EvalResourceName: taskA, EvalResourceDecision: 'allowed' },
            { EvalResourceName: taskB, EvalResourceDecision: 'explicitDeny' },
            { EvalResourceName: doc, EvalResourceDecision: 'allowed' },
          ],
        },
      ],
    },
    {
      $metadata: {},
      IsTruncated: false,
      // The earlier form: one result per action and resource.
      EvaluationResults: [
        { EvalActionName: 'ecs:ExecuteCommand', EvalResourceName: taskA, EvalDecision: 'allowed' },
        {
          EvalActionName: 'ecs:ExecuteCommand',
          EvalResourceName: taskB,
          EvalDecision: 'implicitDeny',
        },
      ],
    },
  ];
  const markers: (string | undefined)[] = [];
  const iam = {
    send: async (command: SimulatePrincipalPolicyCommand) => {
      markers.push(command.input.Marker);
      return pages.shift();
    },
  } as unknown as IAMClient;
  const simulation = await simulate(iam, 'arn:aws:iam::111122223333:role/dev', ['x'], [taskA]);
  assert.deepEqual(markers, [undefined, 'page-2']);
  assert.deepEqual(simulation, {
    status: 'checked',
    principal: 'arn:aws:iam::111122223333:role/dev',
    denied: [
      { action: 'ssm:StartSession', resource: taskB, decision: 'explicitDeny' },
      { action: 'ecs:ExecuteCommand', resource: taskB, decision: 'implicitDeny' },
    ],
  });
  const denied = (resources: string[], from = simulation) => {
    const part = forResources(from, resources);
    return part.status === 'checked' ? part.denied : assert.fail('unchecked');
  };
  assert.deepEqual(denied([taskA, doc]), []);
  assert.equal(denied([taskB]).length, 2);
  const anywhere = { action: 'a', resource: '*', decision: 'implicitDeny' };
  const everywhere = { ...simulation, denied: [anywhere] };
  assert.deepEqual(denied([taskA], everywhere), [anywhere], 'a denial on "*" concerns every task');
});

test('a simulation whose pages never end is given up, not followed forever', async () => {
  let calls = 0;
  const endless = {
    send: async () => {
      calls++;
      return { $metadata: {}, IsTruncated: true, Marker: 'same', EvaluationResults: [] };
    },
  } as unknown as IAMClient;
  const repeated = await simulate(endless, 'arn:aws:iam::111122223333:role/dev', ['x']);
  assert.deepEqual(repeated, {
    status: 'unchecked',
    principal: 'arn:aws:iam::111122223333:role/dev',
    reason: 'the policy simulation failed (EndlessPaging)',
  });
  assert.equal(calls, 2, 'a marker that comes back ends it');

  calls = 0;
  const growing = {
    send: async () => ({
      $metadata: {},
      IsTruncated: true,
      Marker: `m${++calls}`,
      EvaluationResults: [],
    }),
  } as unknown as IAMClient;
  const many = await simulate(growing, 'arn:aws:iam::111122223333:role/dev', ['x']);
  assert.equal(many.status, 'unchecked');
  assert.equal(calls, 20, 'at most 20 pages');
});

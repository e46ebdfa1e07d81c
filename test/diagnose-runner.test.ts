// The connection checks run in this process against the emulator: for each known cause, a world
// that differs from a healthy one in that one way, and the check's code, sentence and fix the
// runner reports for it. Also: the bounded wait for a PENDING agent, the "Enable ECS Exec and
// redeploy" fix, and checkTask on what ECS returns, as the editor's tree uses it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';

import { parseTargetSpec } from '../src/aws/resolveTarget.js';
import {
  checkTask,
  diagnose,
  enableExecAndRedeploy,
  enableExecConfirmation,
  problems,
  renderReport,
  type CheckResult,
} from '../src/diagnose/index.js';
import { escapeMarkdown } from '../src/diagnose/renderReport.js';
import type { Emulator } from './emulator/index.js';
import { CAUSES, type Cause } from './support/diagnoseCauses.js';
import {
  CALLER_ROLE,
  CLUSTER,
  CONTAINER_KEY_VALUES,
  SSMMESSAGES,
  TASK_ROLE,
  emulatorClients,
  healthyWorld,
  TASK_ID,
  withEmulator,
} from './support/diagnoseWorlds.js';

function run(
  emulator: Emulator,
  container?: string,
  agentWaitMs = 1000,
  onProgress?: (m: string) => void,
  probe = true,
) {
  return diagnose(
    { cluster: CLUSTER, target: parseTargetSpec('service/web'), container },
    { clients: emulatorClients(emulator.endpoint), agentWaitMs, onProgress, probe },
  );
}

function find(results: CheckResult[], cause: Cause): CheckResult {
  const found = results.find((r) => r.code === cause.code && r.outcome === cause.outcome);
  const seen = results.map((r) => `${r.code}:${r.outcome}`).join(', ');
  return found ?? assert.fail(`no ${cause.code} ${cause.outcome} among ${seen}`);
}

test('the healthy world: every check passes or does not apply, and the probe finds sshd', async () => {
  await withEmulator(healthyWorld(), undefined, async (emulator) => {
    const results = await run(emulator);
    assert.deepEqual(problems(results), []);
    assert.ok(results.every((r) => r.outcome === 'pass' || r.outcome === 'skip'));
    const codes = results.filter((r) => r.outcome === 'pass').map((r) => r.code);
    for (const code of ['NO_CREDENTIALS', 'EXEC_DISABLED', 'TASK_ROLE_MISSING_SSMMESSAGES'])
      assert.ok(codes.includes(code as never), `${code} was checked`);
    const probe = results.find((r) => r.code === 'BOOTSTRAP_PROBE');
    assert.match(probe?.message ?? '', /^Container "app" has sshd at \/usr\/sbin\/sshd\.$/);
  });
});

for (const cause of CAUSES) {
  test(`${cause.code} (${cause.what}): the runner and its Markdown report name it with its sentence and fix`, async () => {
    await withEmulator(cause.world(), cause.answers, async (emulator) => {
      const results = await run(emulator, cause.container, 1000, undefined, !cause.noProbe);
      const result = find(results, cause);
      assert.match(result.message, cause.message);
      assert.match(result.fix ?? '', cause.fix);
      // The report Diagnose Connection opens: a section for the problem with its fix.
      const report = renderReport(results, 'app in service/web');
      assert.ok(
        report.includes(`(\`${cause.code}\`)\n\n${escapeMarkdown(result.message)}\n\n`),
        report,
      );
      assert.ok(report.includes(`**Fix:** ${escapeMarkdown(result.fix ?? '')}`), report);
      const printed = JSON.stringify(results) + report;
      for (const secret of CONTAINER_KEY_VALUES) assert.ok(!printed.includes(secret));
    });
  });
}

test('EXEC_DISABLED carries the fix as an action; carrying it out turns the check green', async () => {
  const cause = CAUSES.find((c) => c.code === 'EXEC_DISABLED') as Cause;
  await withEmulator(cause.world(), undefined, async (emulator) => {
    const before = find(await run(emulator), cause);
    assert.deepEqual(before.action, {
      kind: 'enableExecAndRedeploy',
      cluster: CLUSTER,
      service: 'web',
    });
    const confirmation = enableExecConfirmation({ cluster: CLUSTER, service: 'web' });
    assert.match(
      confirmation.message,
      /^Enable ECS Exec on service "web" in cluster "shop" and redeploy it\?$/,
    );
    assert.equal(confirmation.button, 'Enable and Redeploy');

    const clients = emulatorClients(emulator.endpoint);
    const arn = await enableExecAndRedeploy(clients.ecs, { cluster: CLUSTER, service: 'web' });
    assert.match(arn, /:service\/shop\/web$/);
    await emulator.ecs?.settle();
    const after = await run(emulator);
    const exec = after.find((r) => r.code === 'EXEC_DISABLED');
    assert.equal(exec?.outcome, 'pass');
    assert.doesNotMatch(
      exec?.message ?? '',
      new RegExp(TASK_ID),
      'a new task replaced the old one',
    );
  });
});

test('a PENDING agent that starts during the wait: progress is reported and the check passes', async () => {
  const cause = CAUSES.find((c) => c.code === 'AGENT_PENDING') as Cause;
  await withEmulator(cause.world(), undefined, async (emulator) => {
    const progress: string[] = [];
    const results = await run(emulator, undefined, 30_000, (message) => {
      progress.push(message);
      const task = emulator.ecs?.state.findTask(CLUSTER, TASK_ID);
      if (task) task.containers[0].spec.execAgent = 'RUNNING';
      void emulator.ecs?.settle();
    });
    assert.match(
      progress[0],
      /^waiting for the ECS Exec agent in container "app" \(PENDING, 0 s of 30 s\)$/,
    );
    assert.equal(results.find((r) => r.title === 'ECS Exec agent')?.outcome, 'pass');
    assert.ok(!results.some((r) => r.code === 'AGENT_PENDING'));
  });
});

const CHEAP = new Set([
  'EXEC_DISABLED',
  'AGENT_PENDING',
  'AGENT_STOPPED',
  'FARGATE_PLATFORM_TOO_OLD',
  'NO_TASK_ROLE',
  'AWS_KEYS_IN_ENVIRONMENT',
  'READONLY_ROOT_FILESYSTEM',
  'INIT_PROCESS_OFF',
  'SHARED_PID_MODE',
]);

async function describeForTree(ecs: ECSClient) {
  const tasks = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [TASK_ID] }));
  const task = tasks.tasks?.[0] ?? assert.fail('no task');
  const definition = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }),
  );
  return { task, definition: definition.taskDefinition };
}

for (const cause of CAUSES.filter((c) => CHEAP.has(c.code))) {
  test(`${cause.code}: checkTask finds it from DescribeTasks and DescribeTaskDefinition alone`, async () => {
    await withEmulator(cause.world(), undefined, async (emulator) => {
      const { task, definition } = await describeForTree(emulatorClients(emulator.endpoint).ecs);
      const results = checkTask(task, definition, { container: cause.container });
      const result = results.find((r) => r.code === cause.code);
      assert.ok(
        result && result.outcome !== 'pass',
        `${cause.code} among ${JSON.stringify(results)}`,
      );
      if (cause.code !== 'AGENT_PENDING' && cause.code !== 'EXEC_DISABLED') {
        assert.match(result.message, cause.message);
      }
    });
  });
}

test('an AWS error the checks do not look for stops them with one "could not check", not a guess', async () => {
  await withEmulator(healthyWorld(), undefined, async (emulator) => {
    const clients = emulatorClients(emulator.endpoint);
    clients.ecs.send = (async () => {
      const message = 'User is not authorized to perform: ecs:DescribeClusters';
      throw Object.assign(new Error(message), { name: 'AccessDeniedException' });
    }) as typeof clients.ecs.send;
    const results = await diagnose(
      { cluster: CLUSTER, target: parseTargetSpec('service/web') },
      { clients },
    );
    assert.deepEqual(
      results.map((r) => `${r.code}:${r.outcome}`),
      ['NO_CREDENTIALS:pass', 'CHECKS_STOPPED:unknown'],
    );
    assert.equal(
      results[1].message,
      'The checks stopped early: AccessDeniedException: User is not authorized to perform: ecs:DescribeClusters.',
    );
    assert.match(results[1].fix ?? '', /^Check your permissions to read ECS/);
  });
});

test('a symptom names its likely cause and carries its fix: AWS keys in the environment, not the network', async () => {
  const cause = CAUSES.find((c) => c.code === 'AWS_KEYS_IN_ENVIRONMENT') as Cause;
  await withEmulator(cause.world(), undefined, async (emulator) => {
    const results = await run(emulator);
    const symptom = results.find((r) => r.code === 'TARGET_NOT_CONNECTED');
    assert.equal(symptom?.outcome, 'fail', JSON.stringify(results));
    assert.match(
      symptom.message,
      /^Session Manager cannot reach the container \(TargetNotConnected\); likely cause: Container "app" sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    assert.match(symptom.fix ?? '', /^Rename those variables/);
    assert.doesNotMatch(symptom.fix ?? '', /network path/);
  });
});

test('what the probe proves is not listed as "could not check": the task role, and your StartSession for both documents', async () => {
  const cause = CAUSES.find((c) => c.noProbe) as Cause;
  await withEmulator(cause.world(), undefined, async (emulator) => {
    const results = await run(emulator);
    assert.ok(!results.some((r) => r.outcome === 'unknown'), JSON.stringify(results));
    const role = results.find((r) => r.code === 'TASK_ROLE_MISSING_SSMMESSAGES');
    assert.equal(role?.outcome, 'pass');
    assert.match(
      role.message,
      /^Not simulated, but the agent reached Session Manager for the probe/,
    );
    const caller = results.filter((r) => r.code === 'START_SESSION_DENIED');
    assert.equal(caller.length, 1);
    assert.equal(caller[0].outcome, 'pass');
    assert.match(
      caller[0].message,
      /^You may start sessions on container "app" with AWS-StartSSHSession and AWS-StartNonInteractiveCommand: the probe started both\.$/,
    );
  });
});

test('a policy that allows command sessions but not AWS-StartSSHSession: the probe says so, and doctor would exit 1', async () => {
  const cause = CAUSES.find((c) => c.noProbe) as Cause;
  const world = cause.world();
  world.iam!.policies![CALLER_ROLE] = [
    ...world.iam!.policies![CALLER_ROLE],
    {
      Effect: 'Deny',
      Action: 'ssm:StartSession',
      Resource: 'arn:aws:ssm:*::document/AWS-StartSSHSession',
    },
  ];
  await withEmulator(world, undefined, async (emulator) => {
    const results = await run(emulator);
    const denied = results.find((r) => r.code === 'START_SESSION_DENIED');
    assert.equal(denied?.outcome, 'fail', JSON.stringify(results));
    assert.match(
      denied.message,
      /^Session Manager refused your ssm:StartSession on container "app" of task "a{32}" with AWS-StartSSHSession \(AccessDenied\)\.$/,
    );
  });
});

test('a StartSession the probe was refused is one sentence, and not also "could not check"', async () => {
  const world = healthyWorld();
  world.iam!.policies![CALLER_ROLE] = [
    { Effect: 'Allow', Action: ['ecs:*'], Resource: '*' },
    { Effect: 'Deny', Action: 'ssm:StartSession', Resource: '*' },
  ];
  await withEmulator(world, undefined, async (emulator) => {
    const results = await run(emulator);
    const denied = results.filter((r) => r.code === 'START_SESSION_DENIED');
    assert.equal(denied.length, 1, JSON.stringify(denied));
    assert.equal(denied[0].outcome, 'fail');
    assert.match(
      denied[0].message,
      /^Session Manager refused your ssm:StartSession on container "app" of task "a{32}" \(AccessDenied\)\.$/,
    );
  });
});

test('session logging to both CloudWatch and S3: each grant is simulated on its own resources, and only what is denied is named', async () => {
  const world = healthyWorld();
  world.ecs!.clusters[0].executeCommandConfiguration = {
    logging: 'OVERRIDE',
    logConfiguration: {
      cloudWatchLogGroupName: '/ecs/exec',
      s3BucketName: 'exec-logs',
      s3EncryptionEnabled: true,
    },
  };
  world.iam!.policies![TASK_ROLE] = [
    { Effect: 'Allow', Action: SSMMESSAGES, Resource: '*' },
    { Effect: 'Allow', Action: 'logs:*', Resource: '*' },
    { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::exec-logs/*' },
  ];
  await withEmulator(world, undefined, async (emulator) => {
    const results = await run(emulator, undefined, 1000, undefined, false);
    const logging = results.find((r) => r.code === 'EXEC_SESSION_LOGGING');
    assert.equal(logging?.outcome, 'fail', JSON.stringify(logging));
    assert.match(
      logging.message,
      /^Cluster "shop" logs ECS Exec sessions to CloudWatch log group "\/ecs\/exec" and S3 bucket "exec-logs", and task role ".*web-task" may not s3:GetEncryptionConfiguration on S3 bucket "exec-logs", so the agent ends each session\.$/,
    );
    assert.equal(
      logging.fix,
      `Allow the task role s3:GetEncryptionConfiguration on S3 bucket "exec-logs", or set the cluster's ECS Exec logging to NONE.`,
    );
  });
});

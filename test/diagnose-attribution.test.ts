// What a failure is blamed on, checked through every surface: the runner, `ecs-ssh doctor`, the
// proxy's one stderr line and the tree's rows. A symptom (the target not connected, the agent
// stopped or missing, a bootstrap without a result) is attributed only to a finding that can
// cause it; a refused session or a KMS key is the cause itself; a session the probe started
// proves only what it proves; and no container secret is ever printed. Found by an attack run
// on the checks; each test failed before its fix.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { primaryProblem } from '../src/diagnose/index.js';
import { Findings } from '../src/model/findings.js';
import { rowText } from '../src/model/presentation.js';
import type { World } from './emulator/index.js';
import { CAUSES } from './support/diagnoseCauses.js';
import {
  brief,
  doctor,
  problemsOf,
  proxy,
  proxyError,
  removeTemporaryFiles,
  runner,
  treeRows,
} from './support/diagnoseRuns.js';
import {
  ACCOUNT,
  CALLER_POLICY,
  CALLER_ROLE,
  CLUSTER,
  CONTAINER_KEY_VALUES,
  definitionOf,
  healthyWorld,
  REGION,
  SSMMESSAGES,
  TASK_ID,
  TASK_ROLE,
  taskOf,
  withEmulator,
} from './support/diagnoseWorlds.js';

after(removeTemporaryFiles);

/** Sessions logged to CloudWatch, and a caller who may not ask IAM whether the role may write. */
function loggingUnchecked(): World {
  const w = healthyWorld();
  w.iam!.policies![CALLER_ROLE] = [
    { Effect: 'Allow', Action: ['ecs:*', 'ssm:StartSession'], Resource: '*' },
  ];
  w.ecs!.clusters[0].executeCommandConfiguration = {
    logging: 'OVERRIDE',
    logConfiguration: { cloudWatchLogGroupName: '/ecs/exec' },
  };
  return w;
}

// pidMode "task" explains an agent only where it blocks that container: an agent still PENDING
// or STOPPED everywhere is the agent's own finding, and SHARED_PID_MODE never names "none" as the
// container to connect to.

function pidTask(kind: 'pending' | 'allStopped' | 'tnc') {
  const w = healthyWorld();
  const d = definitionOf(w);
  d.pidMode = 'task';
  if (kind === 'pending') taskOf(w).containers[0].execAgent = 'PENDING'; // one container, just started
  if (kind !== 'pending')
    d.containerDefinitions.push({
      name: 'envoy',
      image: 'envoy',
      linuxParameters: { initProcessEnabled: true },
    });
  if (kind === 'allStopped')
    taskOf(w).containers = [
      { name: 'app', image: 'shop/web:1', execAgent: 'STOPPED' },
      { name: 'envoy', image: 'envoy', execAgent: 'STOPPED' },
    ];
  if (kind === 'tnc')
    taskOf(w).containers = [
      { name: 'app', image: 'shop/web:1', agentConnected: false }, // the agent's container, reachable per ECS
      { name: 'envoy', image: 'envoy', execAgent: 'none' },
    ];
  return w;
}

test('single container, pidMode "task", agent still PENDING: AGENT_PENDING is the problem, not pidMode', async () => {
  await withEmulator(pidTask('pending'), undefined, async (em) => {
    const results = await runner(em, { container: 'app', agentWaitMs: 0 });
    const pid = results.find((r) => r.code === 'SHARED_PID_MODE');
    assert.doesNotMatch(pid?.fix ?? '', /Connect to none/, `runner: ${pid?.message} | ${pid?.fix}`);
    assert.equal(primaryProblem(results)?.code, 'AGENT_PENDING');
    const p = await proxy(em, 'service/web', '--agent-wait', '1');
    assert.match(proxyError(p) ?? '', /error: AGENT_PENDING:/, proxyError(p));
    const rows = await treeRows(em);
    assert.ok(
      !problemsOf(rows.container).some((r) => r.code === 'SHARED_PID_MODE' && r.outcome === 'fail'),
      'a freshly started single-container task is marked red for pidMode',
    );
  });
});

test('pidMode "task", every agent STOPPED: no "Connect to none with --container"', async () => {
  await withEmulator(pidTask('allStopped'), undefined, async (em) => {
    const d = await doctor(em, 'service/web', '--container', 'app');
    assert.doesNotMatch(d.stdout.replace(/\n +/g, ' '), /Connect to none/, d.stdout);
  });
});

test('pidMode "task", the target container is the reachable one, TargetNotConnected: pidMode is not the likely cause', async () => {
  await withEmulator(pidTask('tnc'), undefined, async (em) => {
    const results = await runner(em, { container: 'app' });
    const tnc = results.find((r) => r.code === 'TARGET_NOT_CONNECTED')!;
    assert.doesNotMatch(tnc.message, /likely cause: .*pidMode/, tnc.message);
    const p = await proxy(em, 'service/web', '--container', 'app');
    assert.doesNotMatch(proxyError(p) ?? '', /error: SHARED_PID_MODE/, proxyError(p));
  });
});

// A symptom is attributed only to a finding that can cause it: TargetNotConnected not to session
// logging (which ends a session after it starts), a missing agent (a sidecar) not to AWS keys,
// and a bootstrap without a result not to AWS keys once the session reached the container.

const keys = [
  { name: 'AWS_ACCESS_KEY_ID', value: CONTAINER_KEY_VALUES[0] },
  { name: 'AWS_SECRET_ACCESS_KEY', value: CONTAINER_KEY_VALUES[1] },
];

test('TargetNotConnected is not attributed to unchecked session logging', async () => {
  const w = loggingUnchecked();
  taskOf(w).containers[0].agentConnected = false;
  await withEmulator(w, undefined, async (em) => {
    const tnc = (await runner(em)).find((r) => r.code === 'TARGET_NOT_CONNECTED')!;
    assert.doesNotMatch(tnc.message, /likely cause: Cluster "shop" logs/, tnc.message);
    assert.match(tnc.fix ?? '', /network path to ssmmessages/, tnc.fix);
    const line = proxyError(await proxy(em, 'service/web')) ?? '';
    assert.doesNotMatch(line, /error: EXEC_SESSION_LOGGING/, line);
  });
});

test('AGENT_MISSING is not attributed to AWS keys in the environment', async () => {
  const w = healthyWorld();
  taskOf(w).containers[0].execAgent = 'none';
  definitionOf(w).containerDefinitions[0].environment = keys;
  await withEmulator(w, undefined, async (em) => {
    const missing = (await runner(em)).find((r) => r.code === 'AGENT_MISSING')!;
    assert.doesNotMatch(missing.message, /likely cause: .*AWS_ACCESS_KEY_ID/, missing.message);
    assert.match(missing.fix ?? '', /another container/, missing.fix);
  });
});

test('BOOTSTRAP_NO_RESULT after a session that reached the container is not blamed on AWS keys', async () => {
  const w = healthyWorld();
  delete w.iam; // the emulator would otherwise disconnect the agent because of the keys
  definitionOf(w).containerDefinitions[0].environment = keys;
  await withEmulator(w, { probe: 'Killed\n' }, async (em) => {
    const results = await runner(em);
    assert.ok(
      results.some((r) => r.code === 'TARGET_NOT_CONNECTED' && r.outcome === 'pass'),
      'the session reached it',
    );
    const noResult = results.find((r) => r.code === 'BOOTSTRAP_NO_RESULT')!;
    assert.doesNotMatch(noResult.message, /likely cause: .*AWS_ACCESS_KEY_ID/, noResult.message);
    const d = await doctor(em, 'service/web');
    assert.doesNotMatch(
      d.stdout.replace(/\n +/g, ' '),
      /NO_RESULT\].*likely cause: Container "app" sets AWS/,
      d.stdout,
    );
  });
});

// A refused StartSession is the caller's own permission: the proxy names START_SESSION_DENIED
// with the caller's fix, never the task role as its "likely cause".

const deny = {
  Effect: 'Deny' as const,
  Action: 'ssm:StartSession',
  Resource: `arn:aws:ecs:*:${ACCOUNT}:task/*`,
};
const worlds: Record<string, () => World> = {
  'denied + task role lacks two ssmmessages actions': () => {
    const w = healthyWorld();
    w.iam!.policies![CALLER_ROLE] = [...CALLER_POLICY, deny];
    w.iam!.policies![TASK_ROLE] = [
      { Effect: 'Allow', Action: SSMMESSAGES.slice(0, 2), Resource: '*' },
    ];
    return w;
  },
  'denied (cannot simulate) + no task role': () => {
    const w = healthyWorld();
    w.iam!.policies![CALLER_ROLE] = [
      { Effect: 'Allow', Action: ['ecs:*', 'ssm:StartSession'], Resource: '*' },
      deny,
    ];
    delete definitionOf(w).taskRoleArn;
    return w;
  },
};

for (const [name, world] of Object.entries(worlds)) {
  test(`${name}: the proxy names START_SESSION_DENIED`, async () => {
    await withEmulator(world(), undefined, async (em) => {
      const line = proxyError(await proxy(em, 'service/web')) ?? '';
      assert.match(line, /error: START_SESSION_DENIED: .*ssm:StartSession/, line);
      assert.doesNotMatch(line, /likely cause/);
      assert.match(line, /Fix: Allow your identity ssm:StartSession/);
    });
  });
}

// A session the probe started proves only what it proves: the probe also starts (and ends) an
// AWS-StartSSHSession session, so a policy that denies that document fails the check; with AWS
// keys in the container's environment the agent signed with those, so the task role stays
// unproven.

test('a probe over AWS-StartNonInteractiveCommand does not prove AWS-StartSSHSession may be started', async () => {
  const w = healthyWorld();
  w.iam!.policies![CALLER_ROLE] = [
    { Effect: 'Allow', Action: ['ecs:*'], Resource: '*' }, // no iam:SimulatePrincipalPolicy
    {
      Effect: 'Allow',
      Action: ['ssm:StartSession'],
      Resource: [
        `arn:aws:ecs:*:${ACCOUNT}:task/*`,
        'arn:aws:ssm:*::document/AWS-StartNonInteractiveCommand',
      ],
    },
  ];
  await withEmulator(w, undefined, async (em) => {
    const p = await proxy(em, 'service/web');
    assert.match(proxyError(p) ?? '', /START_SESSION_DENIED/, 'the real connection is refused');
    const start = (await runner(em)).find((r) => r.code === 'START_SESSION_DENIED')!;
    assert.notEqual(start.outcome, 'pass', start.message);
    const d = await doctor(em, 'service/web');
    assert.equal(d.code, 1, d.stdout);
  });
});

test('with AWS keys in the environment the session does not prove the task role', async () => {
  const w = healthyWorld();
  delete w.iam; // no simulator, and the agent connects (as with keys that may use ssmmessages)
  definitionOf(w).containerDefinitions[0].environment = [
    { name: 'AWS_ACCESS_KEY_ID', value: CONTAINER_KEY_VALUES[0] },
    { name: 'AWS_SECRET_ACCESS_KEY', value: CONTAINER_KEY_VALUES[1] },
  ];
  await withEmulator(w, undefined, async (em) => {
    const role = (await runner(em)).find((r) => r.code === 'TASK_ROLE_MISSING_SSMMESSAGES')!;
    assert.doesNotMatch(role.message, /so the task role allows what it needs/, role.message);
  });
});

// The proxy's one line says "likely cause" once, also for symptoms the runner already
// attributed (the READONLY and FARGATE worlds).

for (const code of ['READONLY_ROOT_FILESYSTEM', 'FARGATE_PLATFORM_TOO_OLD'] as const) {
  test(`${code}: the proxy line says "likely cause" once`, async () => {
    const cause = CAUSES.find((c) => c.code === code)!;
    await withEmulator(cause.world(), cause.answers, async (em) => {
      const line = proxyError(await proxy(em, 'service/web')) ?? '';
      assert.equal(line.split('likely cause:').length - 1, 1, line);
    });
  });
}

// Tree rows: a finding of the agent check (AGENT_PENDING) goes once ECS reports the agent RUNNING
// (under AGENT_STOPPED, the same check); session logging that could not be checked is "could not
// check" and leaves the row unmarked.

test('an AGENT_PENDING finding goes away once the agent is RUNNING', async () => {
  const w = healthyWorld();
  taskOf(w).containers[0].execAgent = 'PENDING';
  await withEmulator(w, undefined, async (em) => {
    const findings = new Findings();
    const results = await runner(em, { container: 'app' });
    findings.record(
      { scope: { region: REGION }, cluster: CLUSTER, taskId: TASK_ID, container: 'app' },
      results,
      'Diagnose Connection',
    );
    em.ecs!.state.tasks[0].containers[0].spec.execAgent = 'RUNNING'; // the agent starts
    const rows = await treeRows(em, 'app', findings);
    const text = rowText(rows.container);
    assert.ok(
      !problemsOf(rows.container).some((p) => p.code === 'AGENT_PENDING'),
      `${brief(problemsOf(rows.container))} / ${text.description}`,
    );
  });
});

test('session logging that could not be checked does not mark the rows', async () => {
  const w = loggingUnchecked();
  await withEmulator(w, undefined, async (em) => {
    const rows = await treeRows(em);
    for (const row of [rows.task, rows.container]) {
      const text = rowText(row);
      assert.notEqual(text.icon, 'warning', `${row.kind}: ${text.description}`);
    }
  });
});

// The container's own AWS keys never reach doctor's report, the proxy's line or a tooltip, in
// whatever shape the container prints them: the checks redact the values the task definition
// sets, and access key ids and secret-named values in any quoting.

function world() {
  const w = healthyWorld();
  delete w.iam; // keys in the environment would otherwise disconnect the emulated agent
  definitionOf(w).containerDefinitions[0].environment = [
    { name: 'AWS_ACCESS_KEY_ID', value: CONTAINER_KEY_VALUES[0] },
    { name: 'AWS_SECRET_ACCESS_KEY', value: CONTAINER_KEY_VALUES[1] },
  ];
  return w;
}

// What an app's crash handler in the container might print last (e.g. a dump of os.environ).
const dump = `environ({'AWS_ACCESS_KEY_ID': '${CONTAINER_KEY_VALUES[0]}', 'AWS_SECRET_ACCESS_KEY': '${CONTAINER_KEY_VALUES[1]}'})\n`;
const envLine = `AWS_ACCESS_KEY_ID=${CONTAINER_KEY_VALUES[0]}\n`;

for (const [name, text] of [
  ['python repr', dump],
  ['env line', envLine],
] as const) {
  test(`${name}: no container key value in the runner, doctor or proxy output`, async () => {
    await withEmulator(world(), { probe: text, start: text }, async (em) => {
      const results = await runner(em, { container: 'app' });
      const runnerText = JSON.stringify(results);
      const d = await doctor(em, 'service/web', '--container', 'app');
      const p = await proxy(em, 'service/web', '--container', 'app');
      const leaks = (out: string) => CONTAINER_KEY_VALUES.filter((v) => out.includes(v));
      assert.deepEqual(leaks(runnerText), [], 'runner results');
      assert.deepEqual(leaks(d.stdout + d.stderr), [], 'doctor output');
      assert.deepEqual(leaks(p.stderr), [], 'proxy stderr');
    });
  });
}

// doctor does not say "Nothing blocks the connection" (exit 0) when the probe could not open a
// session at all; --agent-wait takes digits only, 0 to 3600, like the proxy.

test('a probe that could not open a session does not make "Nothing blocks the connection"', async () => {
  const w = healthyWorld();
  (w as { throttle?: Record<string, number> }).throttle = { StartSession: 50 };
  await withEmulator(w, undefined, async (em) => {
    const p = await proxy(em, 'service/web');
    assert.equal(p.code, 1, 'the connection fails');
    const d = await doctor(em, 'service/web');
    assert.doesNotMatch(d.stdout, /Nothing blocks the connection/, d.stdout);
  });
});

test('doctor --agent-wait "" is refused like the proxy refuses a bad value', async () => {
  const w = healthyWorld();
  taskOf(w).containers[0].execAgent = 'PENDING';
  await withEmulator(w, undefined, async (em) => {
    const d = await doctor(em, 'service/web', '--agent-wait', '', '--no-probe');
    assert.match(d.stderr, /--agent-wait/, `exit ${d.code}: ${d.stdout.slice(0, 200)}`);
  });
});

// Cluster names may hold "_": the task id in "ecs:<cluster>_<taskId>_<runtimeId>" is read as its
// 32 hex digits.

test('cluster "dev_shop": the proxy names the real task id', async () => {
  const w = healthyWorld();
  w.ecs!.clusters[0].name = 'dev_shop';
  taskOf(w).containers[0].agentConnected = false;
  await withEmulator(w, undefined, async (em) => {
    const line = proxyError(await proxy(em, 'service/web', '--cluster', 'dev_shop')) ?? '';
    assert.doesNotMatch(line, /task "shop"/, line);
    assert.match(line, new RegExp(`task "${TASK_ID}"`), line);
  });
});

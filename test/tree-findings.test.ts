// What the tree keeps from Diagnose Connection and failed Connects (Findings), the palette's
// choice of what to diagnose, and how an editor Connect failure the checks explain reads: plain
// data, no editor and no network.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ConnectRequest } from '../src/connect/connectPlan.js';
import { explainedError } from '../src/connect/userError.js';
import { bootstrapFailure } from '../src/diagnose/bootstrapChecks.js';
import type { CheckResult } from '../src/diagnose/index.js';
import {
  diagnoseChoices,
  findingsKeyFor,
  diagnosePlanForRequest,
} from '../src/model/diagnosePlan.js';
import { Findings, FINDINGS_MAX_AGE_MS, MAX_ENTRIES } from '../src/model/findings.js';
import { tooltipText } from '../src/model/presentation.js';
import { scrubShapes } from '../src/ssm/redact.js';

const scope = { profile: 'dev', region: 'eu-west-1' };
const taskId = 'a'.repeat(32);
const noShell: CheckResult = {
  code: 'BOOTSTRAP_NO_SHELL',
  title: 'sshd in the container',
  outcome: 'fail',
  message: 'Starting sshd in container "app" failed: this image has no shell.',
  fix: 'Use a debug variant of the image that has /bin/sh.',
};
const passed: CheckResult = { code: 'EXEC_DISABLED', title: 't', outcome: 'pass', message: 'on' };

test('findings: kept per container, shown on the task row, replaced, cleared, and aged out', () => {
  const findings = new Findings();
  let changes = 0;
  const stop = findings.onChange(() => changes++);
  const app = { scope, cluster: 'shop', taskId, container: 'app' };
  findings.record(app, [passed, noShell], 'Diagnose Connection', 1_000);
  assert.equal(changes, 1);

  const [forApp] = findings.forContainer(app, 2_000);
  assert.deepEqual(forApp.results, [noShell], 'passes are not kept');
  assert.equal(forApp.source, 'Diagnose Connection');
  assert.equal(findings.forTask({ scope, cluster: 'shop', taskId }, 2_000).length, 1);
  assert.deepEqual(findings.forContainer({ ...app, container: 'envoy' }, 2_000), []);
  assert.deepEqual(findings.forTask({ scope, cluster: 'shop', taskId: 'b'.repeat(32) }, 2_000), []);
  assert.deepEqual(
    findings.forTask({ scope: { region: 'eu-west-1' }, cluster: 'shop', taskId }, 2_000),
    [],
    'another profile is another key',
  );

  // A task-wide finding shows on every container row.
  const whole = { scope, cluster: 'shop', taskId };
  findings.record(whole, [{ ...noShell, code: 'TARGET_NOT_CONNECTED' }], 'Connect', 3_000);
  assert.equal(findings.forContainer({ ...app, container: 'envoy' }, 3_000).length, 1);
  assert.equal(findings.forContainer(app, 3_000).length, 2);

  // A clean result clears; a clean result where nothing was kept changes nothing.
  findings.record(app, [passed], 'Connect', 4_000);
  assert.equal(findings.forContainer(app, 4_000).length, 1);
  assert.equal(changes, 3);
  findings.record({ ...app, container: 'other' }, [passed], 'Connect', 4_000);
  assert.equal(changes, 3);

  assert.equal(findings.forTask(whole, 3_000 + FINDINGS_MAX_AGE_MS).length, 1);
  assert.equal(findings.forTask(whole, 3_001 + FINDINGS_MAX_AGE_MS).length, 0, 'aged out');
  stop();
  findings.record(app, [noShell], 'Connect');
  assert.equal(changes, 3, 'no listener after stop');
});

function request(target: string, container = 'app'): ConnectRequest {
  return { scope, cluster: 'shop', target, container, user: 'root' };
}

test("the palette's Diagnose choices: this window first, then recent ones newest first, then picking", () => {
  assert.deepEqual(diagnoseChoices([], undefined), [], 'nothing recent: straight to the picks');
  const now = 10 * 60_000;
  const recent = [
    { alias: 'ecs--shop--web--app', request: request('service/web'), openedAt: now - 5 * 60_000 },
    { alias: 'ecs--shop--api--app', request: request('service/api'), openedAt: now - 60_000 },
    { alias: 'ecs--shop--t--side', request: request(`task/${taskId}`, 'side'), openedAt: 1 },
  ];
  const choices = diagnoseChoices(recent, 'ecs--shop--web--app', now);
  assert.deepEqual(
    choices.map((c) => [c.label, c.detail]),
    [
      ['$(remote) app in service/web', 'This window · ecs--shop--web--app'],
      ['$(history) app in service/api', 'Connected 1m ago · ecs--shop--api--app'],
      [`$(history) side in task/${taskId}`, 'Connected 9m ago · ecs--shop--t--side'],
      ['$(list-tree) Choose a container…', undefined],
    ],
  );
  assert.equal(choices[0].description, 'cluster shop · dev · eu-west-1');
  assert.deepEqual(choices[0].plan, diagnosePlanForRequest(request('service/web')));
  assert.equal(choices[3].plan, undefined);

  const many = Array.from({ length: 8 }, (_, i) => ({
    alias: `a${i}`,
    request: request(`service/s${i}`),
    openedAt: i,
  }));
  const capped = diagnoseChoices(many, undefined, 100);
  assert.equal(capped.length, 6, 'five recent ones and the picks');
  assert.equal(capped[0].label, '$(history) app in service/s7');
});

test('a diagnosis of a service is kept under the task and container it looked at', () => {
  const plan = diagnosePlanForRequest(request('service/web'));
  const task = {
    taskArn: `arn:aws:ecs:eu-west-1:111122223333:task/shop/${taskId}`,
    containers: [{ name: 'app' }],
  };
  assert.deepEqual(findingsKeyFor(plan, task), {
    scope,
    cluster: 'shop',
    taskId,
    container: 'app',
  });
  const wholeTask = { ...plan, target: { ...plan.target, container: undefined } };
  assert.equal(findingsKeyFor(wholeTask, task).container, 'app', 'the runner probes the first');
});

test('an editor Connect failure the checks explain: code, sentence, fix, and the button that fixes it', () => {
  const failed = request('service/web');
  const plain = explainedError(noShell, scope, failed);
  assert.equal(plain.code, 'BOOTSTRAP_NO_SHELL');
  assert.equal(plain.message, `${noShell.message} Fix: ${noShell.fix}`);
  assert.deepEqual(plain.action, {
    title: 'Diagnose Connection',
    command: 'ecsRemote.diagnose',
    args: [failed],
  });

  const exec = explainedError(
    {
      ...noShell,
      code: 'EXEC_DISABLED',
      action: { kind: 'enableExecAndRedeploy', cluster: 'shop', service: 'web' },
    },
    scope,
    failed,
  );
  assert.deepEqual(exec.action?.args, [scope, 'shop', 'web']);
  assert.equal(exec.action?.command, 'ecsRemote.enableExec');

  const sso = explainedError(
    {
      ...noShell,
      code: 'SSO_EXPIRED',
      action: { kind: 'signIn', command: 'aws sso login --profile dev' },
    },
    scope,
    failed,
  );
  assert.deepEqual(sso.action, {
    title: 'Sign In',
    command: 'ecsRemote.signIn',
    args: ['aws sso login --profile dev'],
  });
});

test('secret-shaped assignments are scrubbed, in any case and form, and ordinary text is kept', () => {
  const secret = 'container-secret-value-never-shown';
  for (const line of [
    `AWS_SECRET_ACCESS_KEY=${secret}`,
    `export AWS_SESSION_TOKEN=${secret}`,
    `aws_secret_access_key = ${secret}`,
    `"SecretAccessKey": "${secret}"`,
    `{"TokenValue":"${secret}"}`,
    `DB_PASSWORD=${secret} APP_MODE=web`,
  ]) {
    const scrubbed = scrubShapes(line);
    assert.ok(!scrubbed.includes(secret), scrubbed);
    assert.match(scrubbed, /\[redacted\]/);
  }
  assert.equal(scrubShapes('APP_MODE=web PORT=8080'), 'APP_MODE=web PORT=8080');
  const sentence = 'NO_CREDENTIALS: No usable AWS credentials: Could not load credentials.';
  assert.equal(scrubShapes(sentence), sentence, 'a sentence about credentials is kept');
  const failure = bootstrapFailure(
    'NO_RESULT',
    `its last output was: AWS_SECRET_ACCESS_KEY=${secret}`,
    'app',
  );
  assert.equal(
    failure.message,
    'Starting sshd in container "app" ended without a result; its last output was: AWS_SECRET_ACCESS_KEY=[redacted].',
  );
});

test("a container's text in a tooltip stays text: no image, no link", () => {
  const quoted: CheckResult = {
    ...noShell,
    code: 'BOOTSTRAP_NO_RESULT',
    message: 'its last output was: ![p](https://pixel.invalid/p.png) [here](https://x.invalid) <b>',
  };
  const container = { name: 'app', lastStatus: 'RUNNING', problems: [quoted] };
  const node = {
    kind: 'container' as const,
    id: 'x',
    scope,
    clusterName: 'shop',
    task: {
      arn: '',
      id: taskId,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      execEnabled: true,
      taskDefinition: 'web:1',
      containers: [container],
    },
    container,
  };
  const tooltip = tooltipText(node);
  assert.match(tooltip, /!\\\[p\\\]\(https:\/\/pixel\.invalid\/p\.png\) \\\[here\\\]/);
  assert.doesNotMatch(tooltip, /(^|[^\\])\]\(/, 'no Markdown link or image survives');
  assert.match(tooltip, /\\<b\\>/);
});

test("the palette's Diagnose choices survive a stored history they cannot fully use", () => {
  const good = { alias: 'ecs--a', request: request('service/web'), openedAt: 60_000 };
  const stored: unknown[] = [
    good,
    { alias: 'ecs--no-request', openedAt: 1 },
    { request: request('service/api'), openedAt: 2 },
    { alias: 'ecs--half', request: { cluster: 'shop' }, openedAt: 3 },
    { alias: 'ecs--b', request: request('service/api') },
    { ...good, openedAt: 1_000, request: request('service/old') },
    null,
    'text',
  ];
  const choices = diagnoseChoices(stored, undefined, 120_000);
  assert.deepEqual(
    choices.map((c) => [c.label, c.detail]),
    [
      ['$(history) app in service/web', 'Connected 1m ago · ecs--a'],
      ['$(history) app in service/api', 'Connected earlier · ecs--b'],
      ['$(list-tree) Choose a container…', undefined],
    ],
  );
  assert.deepEqual(diagnoseChoices([{ alias: 'x' }], undefined), [], 'nothing usable');
  assert.equal(
    diagnoseChoices([{ ...good, alias: undefined }], undefined).length,
    0,
    'no alias, no "This window"',
  );
});

test('findings: expired ones are dropped as new ones come, at most MAX_ENTRIES are kept, and a clock set back does not keep one', () => {
  const findings = new Findings();
  for (let i = 0; i < 2_000; i++) {
    const key = { scope, cluster: 'shop', taskId: i.toString(16).padStart(32, '0') };
    findings.record(key, [noShell], 'Connect', i);
  }
  assert.equal(findings.size, MAX_ENTRIES, 'the oldest went first');
  const newest = { scope, cluster: 'shop', taskId: (1_999).toString(16).padStart(32, '0') };
  assert.equal(findings.forTask(newest, 2_000).length, 1);
  findings.record(
    { ...newest, taskId: 'f'.repeat(32) },
    [noShell],
    'Connect',
    2_000 + FINDINGS_MAX_AGE_MS * 2,
  );
  assert.equal(findings.size, 1, 'the expired ones were dropped');

  const future = new Findings();
  future.record(newest, [noShell], 'Connect', 10 * FINDINGS_MAX_AGE_MS);
  assert.equal(future.forTask(newest, 0).length, 0, 'stamped far ahead of the clock: not shown');
});

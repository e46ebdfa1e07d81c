// What rows say: a task's short id, status, age and ECS Exec state (and why not); a container's
// name, image and exec agent; state rows; tooltips with the full reason.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { EcsNode, TaskSummary } from '../src/model/nodes.js';
import { formatAge, rowText, tooltipText } from '../src/model/presentation.js';

const NOW = Date.UTC(2026, 0, 2, 12, 0, 0);
const scope = { region: 'eu-west-1' };
const task: TaskSummary = {
  arn: 'arn:aws:ecs:eu-west-1:1:task/demo/4f1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c',
  id: '4f1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  execEnabled: true,
  taskDefinition: 'web:3',
  launchType: 'FARGATE',
  startedAt: NOW - 3 * 3_600_000,
  containers: [],
};
const node = (overrides: Partial<TaskSummary>): EcsNode => ({
  kind: 'task',
  id: 't',
  scope,
  clusterName: 'demo',
  task: { ...task, ...overrides },
});

test('a task row: short id, status, age and ECS Exec on', () => {
  const text = rowText(node({}), NOW);
  assert.equal(text.label, '4f1c2b9a');
  assert.equal(text.description, 'RUNNING · 3h · ECS Exec on');
  assert.equal(text.icon, 'vm-running');
});

test('a task with ECS Exec off says so, and its tooltip says why and what to do', () => {
  const off = node({ execEnabled: false });
  assert.equal(rowText(off, NOW).description, 'RUNNING · 3h · ECS Exec off');
  assert.match(tooltipText(off, NOW), /fixed when a task starts.*force a new deployment/s);
});

test('a stopped task shows its state and its stop reason in the tooltip', () => {
  const stopped = node({
    lastStatus: 'STOPPED',
    stoppedReason: 'Essential container in task exited',
  });
  assert.equal(rowText(stopped, NOW).description, 'STOPPED · 3h · not running');
  assert.match(tooltipText(stopped, NOW), /not RUNNING: Essential container in task exited/);
});

test('a container row: name, short image, exec agent status', () => {
  const container: EcsNode = {
    kind: 'container',
    id: 'c',
    scope,
    clusterName: 'demo',
    task,
    container: {
      name: 'app',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:2.4.1',
      lastStatus: 'RUNNING',
      runtimeId: 'x-1',
      agentStatus: 'STOPPED',
      agentReason: 'ExecuteCommandAgent process exited with exit code: 1',
    },
  };
  assert.equal(rowText(container, NOW).label, 'app');
  assert.equal(rowText(container, NOW).description, 'api:2.4.1 · agent STOPPED');
  assert.match(tooltipText(container, NOW), /Image: `123456789012\.dkr\.ecr.*api:2\.4\.1`/);
  assert.match(tooltipText(container, NOW), /process exited with exit code: 1/);
});

test('state rows: an error names what failed and leads to the log; credentials say what to run', () => {
  const error: EcsNode = {
    kind: 'error',
    id: 'e',
    what: 'Could not list clusters in eu-west-1',
    message: 'denied',
    code: 'AccessDeniedException',
  };
  assert.equal(rowText(error).label, 'Could not list clusters in eu-west-1');
  assert.equal(rowText(error).icon, 'error');
  assert.match(tooltipText(error), /AccessDeniedException: denied[\s\S]*open the log/);
  const sso: EcsNode = {
    kind: 'credentials',
    id: 'k',
    scope,
    problem: 'expired',
    message: 'm',
    signInCommand: 'aws sso login --profile dev',
  };
  assert.equal(rowText(sso).label, 'Sign in to AWS');
  assert.match(tooltipText(sso), /`aws sso login --profile dev`/);
  const missing: EcsNode = {
    kind: 'credentials',
    id: 'k',
    scope,
    problem: 'missing',
    message: 'm',
  };
  assert.equal(rowText(missing).label, 'Select an AWS profile');
});

test('ages read in minutes, hours, then days', () => {
  assert.deepEqual([20_000, 5 * 60_000, 47 * 3_600_000, 50 * 3_600_000].map(formatAge), [
    '<1m',
    '5m',
    '47h',
    '2d',
  ]);
});

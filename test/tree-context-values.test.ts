// The contextValue vocabulary: one word per node type and state, and package.json's menus use
// no other word, so a menu cannot silently stop matching.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ContextValue, contextValueOf } from '../src/model/contextValues.js';
import type { ContainerSummary, EcsNode, TaskSummary } from '../src/model/nodes.js';

const scope = { region: 'eu-west-1' };
const container = (overrides: Partial<ContainerSummary> = {}): ContainerSummary => ({
  name: 'app',
  image: 'nginx:1.27',
  lastStatus: 'RUNNING',
  runtimeId: 'abc-1',
  agentStatus: 'RUNNING',
  ...overrides,
});
const task = (overrides: Partial<TaskSummary> = {}): TaskSummary => ({
  arn: 'arn:aws:ecs:eu-west-1:1:task/demo/0123',
  id: '0123',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  execEnabled: true,
  taskDefinition: 'web:3',
  containers: [container()],
  ...overrides,
});
const service = (execEnabled: boolean) => ({
  name: 'web',
  status: 'ACTIVE',
  desiredCount: 1,
  runningCount: 1,
  execEnabled,
  taskDefinition: 'web:3',
});
const base = { id: 'x', scope, clusterName: 'demo' };

const cases: [string, EcsNode, string][] = [
  ['scope', { kind: 'scope', id: 'x', scope }, 'scope.refreshable'],
  [
    'cluster',
    {
      kind: 'cluster',
      id: 'x',
      scope,
      cluster: { name: 'demo', arn: '', status: 'ACTIVE', runningTasks: 1, activeServices: 1 },
    },
    'cluster.refreshable',
  ],
  [
    'service, exec on',
    { kind: 'service', ...base, service: service(true) },
    'service.refreshable.connectable',
  ],
  [
    'service, exec off',
    { kind: 'service', ...base, service: service(false) },
    'service.refreshable.fixable',
  ],
  ['standalone', { kind: 'standalone', ...base }, 'standalone.refreshable'],
  ['task, reachable', { kind: 'task', ...base, task: task() }, 'task.refreshable.connectable'],
  [
    'task, exec off',
    { kind: 'task', ...base, task: task({ execEnabled: false }) },
    'task.refreshable',
  ],
  [
    'task, exec off while its service has it on',
    {
      kind: 'task',
      ...base,
      task: task({
        execEnabled: false,
        problems: [
          {
            code: 'EXEC_DISABLED',
            title: 'ECS Exec on the task',
            outcome: 'fail',
            message: 'm',
            action: { kind: 'enableExecAndRedeploy', cluster: 'demo', service: 'web' },
          },
        ],
      }),
    },
    'task.refreshable.fixable',
  ],
  [
    'task, stopped',
    { kind: 'task', ...base, task: task({ lastStatus: 'STOPPED' }) },
    'task.refreshable',
  ],
  [
    'container, reachable',
    { kind: 'container', ...base, task: task(), container: container() },
    'container.connectable',
  ],
  [
    'container, agent stopped',
    { kind: 'container', ...base, task: task(), container: container({ agentStatus: 'STOPPED' }) },
    'container',
  ],
  [
    'container, no runtime id yet',
    { kind: 'container', ...base, task: task(), container: container({ runtimeId: undefined }) },
    'container',
  ],
  ['error', { kind: 'error', id: 'x', what: 'w', message: 'm', code: 'C' }, 'error'],
  ['empty', { kind: 'empty', id: 'x', what: 'w' }, 'empty'],
  [
    'credentials',
    { kind: 'credentials', id: 'x', scope, problem: 'missing', message: 'm' },
    'credentials',
  ],
];

for (const [name, node, expected] of cases) {
  test(`${name} row → contextValue "${expected}"`, () => {
    assert.equal(contextValueOf(node), expected);
  });
}

test('every word of the vocabulary is used by some row', () => {
  const used = new Set(cases.map(([, node]) => contextValueOf(node)));
  assert.deepEqual([...used].sort(), Object.values(ContextValue).sort());
});

test('every viewItem clause in package.json matches a vocabulary word, and Connect only connectable rows', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const menus = manifest.contributes.menus['view/item/context'] as {
    command: string;
    when: string;
  }[];
  const words = Object.values(ContextValue) as string[];
  for (const menu of menus) {
    const matching = words.filter((word) => viewItemMatches(menu.when, word));
    assert.ok(matching.length > 0, `"${menu.when}" matches no contextValue`);
    if (
      menu.command.startsWith('ecsRemote.connect') ||
      menu.command === 'ecsRemote.copySshCommand'
    ) {
      assert.ok(
        matching.every((word) => word.endsWith('.connectable')),
        menu.when,
      );
    }
    if (menu.command === 'ecsRemote.enableExec') {
      assert.ok(
        matching.every((word) => word.endsWith('.fixable')),
        menu.when,
      );
    }
  }
});

/** Evaluates the `viewItem` part of a when clause: `viewItem == word` or `viewItem =~ /re/`. */
function viewItemMatches(when: string, word: string): boolean {
  const equal = /viewItem == ([\w.]+)/.exec(when);
  if (equal) return equal[1] === word;
  const regex = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
  assert.ok(regex, `no viewItem test in "${when}"`);
  return new RegExp(regex[1]).test(word);
}

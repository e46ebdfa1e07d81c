// Inside a real extension host: the tree down to a container, and Connect with stand-ins for
// the commands that open the Remote-SSH window. The node wrapper (test/editor-host.test.ts)
// then runs the real ssh on the Host block written here.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';

import * as vscode from 'vscode';

import type { EcsRemoteApi } from '../../../src/extension.js';
import { activateExtension, child, rows, type Row } from './treeWalk.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this suite through its node wrapper`);
  return value;
};

interface Call {
  command: string;
  args: unknown[];
}

/** Stand-ins for the two commands Connect may call to open the remote window. */
function standIns(): { calls: Call[]; dispose(): void } {
  const calls: Call[] = [];
  const subscriptions = ['vscode.newWindow', 'vscode.openFolder'].map((command) =>
    vscode.commands.registerCommand(command, (...args: unknown[]) => {
      calls.push({ command, args });
    }),
  );
  return { calls, dispose: () => subscriptions.forEach((s) => s.dispose()) };
}

describe('ECS Remote SSH in a real extension host', () => {
  let api: EcsRemoteApi;
  let webTask: Row;

  before(async () => {
    api = await activateExtension();
  });

  it('lists profile, cluster, services and standalone tasks, tasks and containers with their states', async () => {
    const scope = await child(api, undefined, 'default · eu-west-1');
    const cluster = await child(api, scope.node, 'demo');
    assert.equal(cluster.item.contextValue, 'cluster.refreshable');
    const web = await child(api, cluster.node, 'web');
    assert.equal(web.item.description, '1/1 running');
    webTask = await child(api, web.node, env('ECS_REMOTE_TEST_WEB_TASK').slice(0, 8));
    assert.match(String(webTask.item.description), /^RUNNING · .* · ECS Exec on$/);
    const app = await child(api, webTask.node, 'app');
    assert.equal(app.item.description, 'debian:bookworm · agent RUNNING');
    assert.equal(app.item.contextValue, 'container.connectable');

    const worker = await child(api, cluster.node, 'worker');
    const [workerTask] = await rows(api, worker.node);
    assert.match(String(workerTask.item.description), /ECS Exec off · ECS Exec on the task: fail$/);
    // Not connectable, but "Enable ECS Exec and Redeploy" (context menu) fixes it.
    assert.equal(workerTask.item.contextValue, 'task.refreshable.fixable');
    assert.equal(worker.item.contextValue, 'service.refreshable.fixable');
  });

  it('shows why a container cannot be reached, and empty levels as placeholder rows', async () => {
    const scope = await child(api, undefined, 'default · eu-west-1');
    const cluster = await child(api, scope.node, 'demo');
    const standalone = await child(api, cluster.node, 'Standalone tasks');
    const broken = await child(api, standalone.node, 'f0e1d2c3');
    const job = await child(api, broken.node, 'job');
    assert.equal(job.item.description, 'alpine:3.20 · agent STOPPED · ECS Exec agent: fail');
    assert.equal(job.item.contextValue, 'container');
    const resolved = await api.tree.resolveTreeItem?.(job.item, job.node, cancelled());
    assert.match(
      markdown(resolved?.tooltip),
      /ExecuteCommandAgent process exited with exit code: 1/,
    );
    assert.match(
      markdown(resolved?.tooltip),
      /⚠ \*\*ECS Exec agent\*\* \(AGENT_STOPPED\): .* Fix: /,
    );

    const empty = await child(api, scope.node, 'empty');
    const emptyStandalone = await child(api, empty.node, 'Standalone tasks');
    const [placeholder] = await rows(api, emptyStandalone.node);
    assert.equal(placeholder.label, 'No standalone tasks');
    assert.equal(placeholder.item.contextValue, 'empty');
  });

  it('turns an expired SSO session into a row that runs the exact sign-in command', async () => {
    const scope = await child(api, undefined, 'expired-sso · eu-west-1');
    const [row] = await rows(api, scope.node);
    assert.equal(row.label, 'Sign in to AWS');
    assert.equal(row.item.contextValue, 'credentials');
    assert.equal(row.item.command?.command, 'ecsRemote.signIn');
    assert.deepEqual(row.item.command?.arguments, ['aws sso login --profile expired-sso']);
  });

  it('Connect on a container row writes the Host block and opens ssh-remote+<alias> in a new window', async () => {
    const app = await child(api, webTask.node, 'app');
    const stand = standIns();
    try {
      await vscode.commands.executeCommand('ecsRemote.connect', app.node);
    } finally {
      stand.dispose();
    }
    const alias = `ecs--default--eu-west-1--demo--task-${env('ECS_REMOTE_TEST_WEB_TASK')}--app`;
    assert.deepEqual(stand.calls, [
      {
        command: 'vscode.newWindow',
        args: [{ remoteAuthority: `ssh-remote+${alias}`, reuseWindow: false }],
      },
    ]);
    const config = readFileSync(env('ECS_REMOTE_TEST_SSH_CONFIG'), 'utf8');
    assert.match(config, new RegExp(`^Host ${alias}$`, 'm'));
    assert.match(config, /ProxyCommand .*ecs-remote-proxy /);
    assert.match(config, /^Host bastion-kept$/m, "the user's own entry is still there");
    writeFileSync(env('ECS_REMOTE_TEST_REPORT'), JSON.stringify({ alias }));
  });

  it('after a connect, the status bar offers to reconnect to it, and Reconnect opens it again', async () => {
    const alias = `ecs--default--eu-west-1--demo--task-${env('ECS_REMOTE_TEST_WEB_TASK')}--app`;
    const status = api.statusBar();
    assert.equal(status.visible, true);
    assert.equal(status.text, '$(plug) Reconnect to last ECS container');
    assert.equal(status.command, 'ecsRemote.reconnect');
    assert.match(status.tooltip, /Cluster: `demo`/);
    assert.match(status.tooltip, new RegExp(`Task: \`${env('ECS_REMOTE_TEST_WEB_TASK')}\``));
    assert.match(status.tooltip, /Profile and region: default · eu-west-1/);

    const stand = standIns();
    try {
      await vscode.commands.executeCommand(status.command as string);
    } finally {
      stand.dispose();
    }
    assert.deepEqual(stand.calls, [
      {
        command: 'vscode.newWindow',
        args: [{ remoteAuthority: `ssh-remote+${alias}`, reuseWindow: false }],
      },
    ]);
  });

  it('Connect in Current Window on a service follows it, reuses the window and opens remoteFolder', async () => {
    const scope = await child(api, undefined, 'default · eu-west-1');
    const web = await child(api, (await child(api, scope.node, 'demo')).node, 'web');
    const settings = vscode.workspace.getConfiguration('ecsRemote');
    await settings.update('remoteFolder', '/srv', vscode.ConfigurationTarget.Global);
    const stand = standIns();
    try {
      await vscode.commands.executeCommand('ecsRemote.connectInCurrentWindow', web.node);
    } finally {
      stand.dispose();
      await settings.update('remoteFolder', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(stand.calls.length, 1, 'one window opened');
    const [uri, options] = stand.calls[0].args as [vscode.Uri, unknown];
    assert.equal(stand.calls[0].command, 'vscode.openFolder');
    assert.equal(
      uri.toString(),
      'vscode-remote://ssh-remote%2Becs--default--eu-west-1--demo--service-web--app/srv',
    );
    assert.deepEqual(options, { forceNewWindow: false });
  });

  it('Open SSH Config opens the file Remote-SSH reads (remote.SSH.configFile)', async () => {
    await vscode.commands.executeCommand('ecsRemote.openSshConfig');
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.fsPath,
      env('ECS_REMOTE_TEST_SSH_CONFIG'),
    );
  });

  it('Diagnose Connection on a task with ECS Exec off opens the report as Markdown, naming the fix', async () => {
    const scope = await child(api, undefined, 'default · eu-west-1');
    const worker = await child(api, (await child(api, scope.node, 'demo')).node, 'worker');
    const [workerTask] = await rows(api, worker.node);
    const report = await vscode.commands.executeCommand<string>(
      'ecsRemote.diagnose',
      workerTask.node,
    );
    assert.match(report, /^# Why can't I connect: worker in task [0-9a-f]{8}\?/);
    assert.match(report, /## .* ECS Exec on the task \(`EXEC_DISABLED`\)/);
    assert.match(report, /service "worker" has it off/);
    assert.match(report, /\*\*Fix:\*\* Enable ECS Exec on service "worker" and redeploy it/);
    const opened = vscode.workspace.textDocuments.find((d) => d.getText() === report);
    assert.ok(opened, 'the report is open as a document');
    assert.equal(opened.languageId, 'markdown');
    assert.equal(opened.uri.scheme, 'untitled');
  });

  it('Diagnose Connection on a container Session Manager cannot reach: the report names it, then its row does', async () => {
    const shellRow = async () => {
      const scope = await child(api, undefined, 'default · eu-west-1');
      const standalone = await child(
        api,
        (await child(api, scope.node, 'demo')).node,
        'Standalone tasks',
      );
      return child(api, (await child(api, standalone.node, 'a1b2c3d4')).node, 'shell');
    };
    const before = await shellRow();
    assert.doesNotMatch(
      String(before.item.description),
      /fail$/,
      'ECS alone says nothing is wrong',
    );
    const report = await vscode.commands.executeCommand<string>('ecsRemote.diagnose', before.node);
    assert.match(report, /^# Why can't I connect: shell in task a1b2c3d4\?/);
    assert.match(report, /\(`TARGET_NOT_CONNECTED`\)/);

    const after = await shellRow();
    assert.match(String(after.item.description), / · Session to the container: fail$/);
    const tooltip = markdown(
      (await api.tree.resolveTreeItem?.(after.item, after.node, cancelled()))?.tooltip,
    );
    assert.match(
      tooltip,
      /\(TARGET_NOT_CONNECTED\): Session Manager cannot reach container "shell" .* Fix: The agent cannot reach Session Manager/,
    );
    assert.match(tooltip, /found by Diagnose Connection <1m ago/);
  });

  it('Diagnose Connection from the palette offers the newest connection first, and diagnoses it', async () => {
    const choices = await api.diagnoseChoices();
    // The newest connection is the one to service "web" (Connect in Current Window above).
    assert.equal(choices[0].label, '$(history) app in service/web');
    assert.equal(choices[0].description, 'cluster demo · default · eu-west-1');
    assert.match(
      choices[0].detail ?? '',
      /^Connected <1m ago · ecs--default--eu-west-1--demo--service-web--app$/,
    );
    assert.equal(choices[1].label, `$(history) app in task/${env('ECS_REMOTE_TEST_WEB_TASK')}`);
    assert.equal(choices[choices.length - 1].label, '$(list-tree) Choose a container…');
    const plan = choices[0].plan ?? assert.fail('the first choice has a plan');

    // Picking it runs the same diagnosis as the command given that connection's request.
    const report = await vscode.commands.executeCommand<string>('ecsRemote.diagnose', {
      scope: plan.scope,
      cluster: plan.target.cluster,
      target: 'service/web',
      container: plan.target.container,
      user: 'root',
    });
    assert.match(report, /^# Why can't I connect: app in service\/web\?/);
    assert.match(report, /\*\*sshd in the container\*\*: Container "app" has sshd/);
  });

  it('Connect to a container whose exec agent stopped opens nothing', async () => {
    const scope = await child(api, undefined, 'default · eu-west-1');
    const cluster = await child(api, scope.node, 'demo');
    const standalone = await child(api, cluster.node, 'Standalone tasks');
    const job = await child(api, (await child(api, standalone.node, 'f0e1d2c3')).node, 'job');
    const stand = standIns();
    try {
      await vscode.commands.executeCommand('ecsRemote.connect', job.node);
    } finally {
      stand.dispose();
    }
    assert.deepEqual(stand.calls, []);
  });
});

function cancelled(): vscode.CancellationToken {
  return new vscode.CancellationTokenSource().token;
}

function markdown(tooltip: string | vscode.MarkdownString | undefined): string {
  return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
}

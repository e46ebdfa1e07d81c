// The bootstrap's error codes, in real emulated containers (network namespaces with a Debian
// root): each way a container cannot get sshd, set up for real, then named with its fix by the
// runner's probe, by the tree's rows once diagnosed, by `ecs-ssh doctor`, and by the proxy's one
// error line.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { parseTargetSpec } from '../src/aws/resolveTarget.js';
import type { Task } from '@aws-sdk/client-ecs';

import { escapeMarkdown } from '../src/diagnose/renderReport.js';
import { diagnose } from '../src/diagnose/index.js';
import { diagnosePlanForNode, findingsKeyFor } from '../src/model/diagnosePlan.js';
import { Findings } from '../src/model/findings.js';
import type { EcsNode } from '../src/model/nodes.js';
import { rowText, tooltipText } from '../src/model/presentation.js';
import { EcsTreeModel } from '../src/model/treeModel.js';
import { runCommand } from '../src/ssm/connect.js';
import { SsmSessions } from '../src/ssm/ssmSessions.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import type { EmulatedImage } from './emulator/ecs/model.js';
import { ssmClient } from './support/awsEnv.js';
import { emulatorClients } from './support/diagnoseWorlds.js';
import { CLI, PROXY, requireBundles, runProcess } from './support/e2e.js';

const CLUSTER = 'lab';
const TASK = 'b'.repeat(32);
const STATE_DIRS = '/var/lib/ecs-remote-ssh /tmp/ecs-remote-ssh';

interface ContainerCause {
  code: string;
  what: string;
  image: EmulatedImage;
  /** Run in the container before the checks, through Session Manager as root. */
  setup?: string;
  message: RegExp;
  fix: RegExp;
}

const CAUSES: ContainerCause[] = [
  {
    code: 'NO_SHELL',
    what: 'an image without /bin/sh',
    image: 'sshd',
    setup: 'mv /usr/bin/sh /usr/bin/sh.gone',
    message: /this image has no shell \(\/bin\/sh\), so Remote-SSH cannot be set up in it\.$/,
    fix: /^Use a debug variant of the image that has \/bin\/sh/,
  },
  {
    code: 'NO_PACKAGE_MANAGER',
    what: 'no sshd and no package manager',
    image: 'offline',
    setup: 'mv /usr/bin/apt-get /usr/bin/apt-get.off',
    message: /sshd is missing and the image has no package manager to install it\.$/,
    fix: /^Bake openssh-server into the image\.$/,
  },
  {
    code: 'UNSUPPORTED_PACKAGE_MANAGER',
    what: 'no sshd, and apk instead of apt',
    image: 'offline',
    setup:
      'sh -c \'mv /usr/bin/apt-get /usr/bin/apt-get.off && printf "#!/bin/sh\\nexit 1\\n" > /usr/local/bin/apk && chmod 755 /usr/local/bin/apk\'',
    message: /sshd is missing and installing it with apk is not supported yet\.$/,
    fix: /^Bake openssh-server into the image; installing it with apk, dnf, yum or zypper/,
  },
  {
    code: 'NO_NETWORK',
    what: 'no sshd and no way to the package mirrors',
    image: 'offline',
    message: /apt-get cannot reach its package sources: the task has no outbound internet\.$/,
    fix: /^The task cannot reach package mirrors: bake openssh-server into the image/,
  },
  {
    code: 'NO_SPACE',
    what: 'full disks where sshd keeps its files',
    image: 'sshd',
    setup: `sh -c 'for d in ${STATE_DIRS}; do mkdir -p $d && mount -t tmpfs -o size=64k tmpfs $d && dd if=/dev/zero of=$d/fill bs=4k count=64 2>/dev/null; done; true'`,
    message: /no space left in \/tmp\/ecs-remote-ssh for the sshd config and host key\.$/,
    fix: /^Free disk space in the container/,
  },
  {
    code: 'READ_ONLY_FS',
    what: 'read-only file systems where sshd keeps its files',
    image: 'sshd',
    setup: `sh -c 'for d in ${STATE_DIRS}; do mkdir -p $d && mount -t tmpfs -o ro tmpfs $d; done'`,
    message: /no writable directory for the sshd config \(tried \/var\/lib and \/tmp\)\.$/,
    fix: /^Mount a writable volume at \/tmp/,
  },
];

let dir: string;

before(() => {
  requireBundles();
  dir = mkdtempSync(join(tmpdir(), 'ecs-remote-diagnose-containers-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function withContainer(
  cause: Pick<ContainerCause, 'image' | 'setup'>,
  body: (e: Emulator) => Promise<void>,
) {
  const container = { name: 'app', image: 'debian:bookworm', emulatedImage: cause.image };
  const emulator = await startEmulator({
    world: {
      targets: {},
      ecs: {
        clusters: [
          {
            name: CLUSTER,
            tasks: [
              {
                id: TASK,
                taskDefinition: 'lab:1',
                enableExecuteCommand: true,
                containers: [container],
              },
            ],
          },
        ],
      },
    },
  });
  try {
    if (cause.setup) await setUp(emulator, cause.setup);
    await body(emulator);
  } finally {
    await emulator.close();
  }
}

function treeModel(emulator: Emulator, findings: Findings): EcsTreeModel {
  const clients = emulatorClients(emulator.endpoint);
  return new EcsTreeModel({
    scopes: () => [{ region: 'eu-west-1' }],
    clients: () => clients,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    findings,
    deepChecks: () => false,
  });
}

/** Container "app" of the task, under the cluster's "Standalone tasks", as the tree lists it. */
async function containerRow(tree: EcsTreeModel): Promise<EcsNode> {
  const [scope] = await tree.children();
  const cluster = (await tree.children(scope)).find((n) => n.kind === 'cluster');
  const standalone = (await tree.children(cluster)).find((n) => n.kind === 'standalone');
  const [task] = await tree.children(standalone);
  assert.equal(task.kind, 'task');
  const [container] = await tree.children(task);
  assert.equal(container.kind === 'container' && container.container.name, 'app');
  return container;
}

async function setUp(emulator: Emulator, command: string): Promise<void> {
  const task = emulator.ecs?.state.findTask(CLUSTER, TASK) ?? assert.fail('no task');
  const target = `ecs:${CLUSTER}_${TASK}_${task.containers[0].runtimeId}`;
  const result = await runCommand(new SsmSessions(ssmClient(emulator.endpoint)), target, command);
  assert.equal(result.stderr.toString(), '', `setup: ${command}`);
}

for (const cause of CAUSES) {
  test(`BOOTSTRAP_${cause.code} (${cause.what}): runner, tree, doctor and proxy name it with the fix`, async () => {
    await withContainer(cause, async (emulator) => {
      const findings = new Findings();
      const tree = treeModel(emulator, findings);
      const container = await containerRow(tree);
      // What Diagnose Connection does for the container row: run the checks, keep the results.
      const plan = diagnosePlanForNode(container) ?? assert.fail('no plan');
      let checked: Task | undefined;
      const results = await diagnose(plan.target, {
        clients: emulatorClients(emulator.endpoint),
        onTask: (task) => (checked = task),
      });
      const found = results.find((r) => r.code === `BOOTSTRAP_${cause.code}`);
      assert.equal(found?.outcome, 'fail', JSON.stringify(results));
      assert.match(
        found.message,
        new RegExp(`^Starting sshd in container "app" failed: ${cause.message.source}`),
      );
      assert.match(found.fix ?? '', cause.fix);

      // The tree's rows name it too, once diagnosed.
      findings.record(
        findingsKeyFor(plan, checked ?? assert.fail('no task')),
        results,
        'Diagnose Connection',
      );
      const row = await containerRow(tree);
      assert.equal(rowText(row).icon, 'warning');
      assert.match(rowText(row).description ?? '', /· sshd in the container: fail$/);
      assert.ok(
        tooltipText(row).includes(
          `(BOOTSTRAP_${cause.code}): ${escapeMarkdown(found.message)} Fix: ${escapeMarkdown(found.fix ?? '')}`,
        ),
        tooltipText(row),
      );

      const doctor = await runProcess(
        process.execPath,
        [CLI, 'doctor', TASK, '--cluster', CLUSTER],
        emulator.endpoint,
      );
      assert.equal(doctor.code, 1, doctor.stderr);
      const report = doctor.stdout.toString().replace(/\n {8}/g, ' ');
      assert.match(
        report,
        new RegExp(
          `^FAIL {2}sshd in the container \\[BOOTSTRAP_${cause.code}\\]\\n {6}Starting sshd`,
          'm',
        ),
      );
      assert.match(report, new RegExp(`\\n {6}Fix: ${cause.fix.source.replace(/^\^/, '')}`, 'm'));

      const args = [PROXY, '--cluster', CLUSTER, '--target', TASK, '--container', 'app'];
      args.push(
        '--public-key',
        join(dir, 'key.pub'),
        '--known-hosts',
        join(dir, 'known_hosts'),
        '--host-key-alias',
        'lab',
      );
      const proxy = await runProcess(process.execPath, args, emulator.endpoint);
      assert.equal(proxy.code, 1);
      assert.equal(proxy.stdout.length, 0);
      const errors = proxy.stderr.split('\n').filter((line) => /\] error: /.test(line));
      assert.equal(errors.length, 1, proxy.stderr);
      assert.match(
        errors[0],
        new RegExp(
          `error: BOOTSTRAP_${cause.code}: Starting sshd in container "app" failed: ${cause.message.source.replace(/\$$/, '')} Fix: `,
        ),
      );
    });
  });
}

test('a container without sshd that apt can serve: the probe says it will be installed, and installs nothing', async () => {
  await withContainer({ image: 'apt-local' }, async (emulator) => {
    const results = await diagnose(
      { cluster: CLUSTER, target: parseTargetSpec(TASK) },
      { clients: emulatorClients(emulator.endpoint) },
    );
    const probe = results.find((r) => r.code === 'BOOTSTRAP_PROBE');
    assert.equal(probe?.outcome, 'pass');
    assert.match(
      probe.message,
      /^Container "app" has no sshd yet; apt can install it on the first connect\.$/,
    );
    const session = results.find((r) => r.title === 'Session to the container');
    assert.equal(session?.outcome, 'pass');

    const task = emulator.ecs?.state.findTask(CLUSTER, TASK) ?? assert.fail('no task');
    const target = `ecs:${CLUSTER}_${TASK}_${task.containers[0].runtimeId}`;
    const check = await runCommand(
      new SsmSessions(ssmClient(emulator.endpoint)),
      target,
      "sh -c 'command -v sshd || echo none; ls /var/lib/ecs-remote-ssh'",
    );
    assert.equal(check.stdout.toString(), 'none\n', 'no sshd, and the probe left no files behind');
  });
});

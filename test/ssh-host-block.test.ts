// The block's own text: markers, one section per alias with every option we rely on, a `Host *`
// that hands the rest of the file back to all hosts, and the same on Windows with its paths.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { writeHostBlock } from '../src/ssh/configFile.js';
import { SshConfigError } from '../src/ssh/errors.js';
import { parseSections, renderHostBlock, renderHostSection } from '../src/ssh/hostBlock.js';
import { hostEntry, type HostEntry } from '../src/ssh/hostEntry.js';

const entry: HostEntry = hostEntry({
  target: {
    profile: 'dev',
    region: 'eu-west-1',
    cluster: 'web',
    target: 'service/api',
    container: 'app',
  },
  user: 'root',
  launcher: { command: '/usr/bin/node', args: ['/opt/ecs/dist/proxy.js'] },
  identityFile: '/home/ann/.ssh/ecs-remote-ssh/id_ed25519',
  publicKeyFile: '/home/ann/.ssh/ecs-remote-ssh/id_ed25519.pub',
  knownHostsFile: '/home/ann/.ssh/ecs-remote-ssh/known_hosts',
});

const ALIAS = 'ecs--dev--eu-west-1--web--service-api--app';

test('the block for one entry, line by line', () => {
  const expected = [
    '# >>> ecs-remote-ssh: managed block, do not edit >>>',
    '# Written by ECS Remote SSH (ecs-ssh). Edits here may be overwritten.',
    `Host ${ALIAS}`,
    `  HostName ${ALIAS}`,
    '  User root',
    '  ProxyCommand /usr/bin/node /opt/ecs/dist/proxy.js --profile dev --region eu-west-1 ' +
      '--cluster web --target service/api --container app --user root ' +
      '--public-key /home/ann/.ssh/ecs-remote-ssh/id_ed25519.pub ' +
      `--known-hosts /home/ann/.ssh/ecs-remote-ssh/known_hosts --host-key-alias ${ALIAS}`,
    `  HostKeyAlias ${ALIAS}`,
    '  UserKnownHostsFile /home/ann/.ssh/ecs-remote-ssh/known_hosts',
    '  StrictHostKeyChecking yes',
    '  IdentityFile /home/ann/.ssh/ecs-remote-ssh/id_ed25519',
    '  IdentitiesOnly yes',
    '  ServerAliveInterval 30',
    '  ServerAliveCountMax 4',
    '  ConnectTimeout 120',
    '',
    '# Ends the hosts above: what follows this block applies to every host, as before.',
    'Host *',
    '# <<< ecs-remote-ssh <<<',
    '',
  ];
  assert.equal(renderHostBlock([entry], 'posix'), expected.join('\n'));
  assert.equal(renderHostBlock([entry], 'posix', '\r\n'), expected.join('\r\n'));
});

test('a Windows section: quoted program first, forward slashes, quotes where paths have spaces', () => {
  const windows: HostEntry = {
    ...entry,
    identityFile: 'C:\\Users\\Ann Lee\\.ssh\\ecs-remote-ssh\\id_ed25519',
    knownHostsFile: 'C:\\Users\\Ann Lee\\.ssh\\ecs-remote-ssh\\known_hosts',
    proxyCommand: ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\Ann Lee\\ecs\\proxy.js'],
  };

  const lines = renderHostSection(windows, 'win32').lines;

  assert.ok(lines.includes('  IdentityFile "C:/Users/Ann Lee/.ssh/ecs-remote-ssh/id_ed25519"'));
  assert.ok(
    lines.includes('  UserKnownHostsFile "C:/Users/Ann Lee/.ssh/ecs-remote-ssh/known_hosts"'),
  );
  assert.ok(
    lines.includes(
      '  ProxyCommand "C:/Program Files/nodejs/node.exe" "C:/Users/Ann Lee/ecs/proxy.js"',
    ),
  );
});

test('sections read back from the block are the sections written', () => {
  const other = { ...entry, alias: `${ALIAS}-2`, user: 'app' };
  const text = renderHostBlock([entry, other], 'posix');
  const interior = text.split('\n').slice(1, -2);

  const sections = parseSections(interior);

  assert.deepEqual(sections, [
    renderHostSection(entry, 'posix'),
    renderHostSection(other, 'posix'),
  ]);
});

test('an alias that is not ours, or a user name ssh cannot take, is refused', () => {
  const refused = (error: unknown) =>
    error instanceof SshConfigError && error.code === 'UNSAFE_VALUE';
  assert.throws(() => renderHostSection({ ...entry, alias: 'prod *' }, 'posix'), refused);
  assert.throws(() => renderHostSection({ ...entry, user: 'root # x' }, 'posix'), refused);
});

test('each write logs one debug line naming the file and the alias', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-block-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'config');
  await writeFile(config, '');
  const lines: string[] = [];
  const log = { debug: (message: string) => lines.push(message) };

  await writeHostBlock(config, [entry], { platform: 'posix', log });
  await writeHostBlock(config, [entry], { platform: 'posix', log });

  assert.deepEqual(lines, [
    `ssh config '${config}': upsert ${ALIAS}: written`,
    `ssh config '${config}': upsert ${ALIAS}: already up to date`,
  ]);
});

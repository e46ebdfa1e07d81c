// verifyWithSsh asks the real ssh: ok for a block we wrote, named conflicts when settings above
// our block win, a clear message when ssh rejects the file (a BOM included), and a plain
// "unchecked" when there is no ssh at all.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

import { writeHostBlock } from '../src/ssh/configFile.js';
import { renderHostBlock } from '../src/ssh/hostBlock.js';
import { hostEntry, type HostEntry } from '../src/ssh/hostEntry.js';
import { verifyWithSsh } from '../src/ssh/verify.js';

const entry: HostEntry = hostEntry({
  target: {
    profile: 'dev',
    region: 'eu-west-1',
    cluster: 'web',
    target: 'service/api',
    container: 'app',
  },
  user: 'root',
  launcher: { command: '/usr/bin/node', args: ['/opt/ecs remote/proxy.js'] },
  identityFile: '/keys dir/id_ed25519',
  publicKeyFile: '/keys dir/id_ed25519.pub',
  knownHostsFile: '/keys dir/known_hosts',
});

async function configWith(t: TestContext, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-verify-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'config'), text);
  return join(dir, 'config');
}

test('a block we wrote above a greedy Host * verifies ok', async (t) => {
  const config = await configWith(t, 'Host *\n  User bob\n  ProxyCommand nc %h %p\n');
  await writeHostBlock(config, [entry], { platform: 'posix' });

  assert.deepEqual(await verifyWithSsh(config, entry, { platform: 'posix' }), { status: 'ok' });
});

test('settings read before our block are reported one by one, with the file', async (t) => {
  const greedy =
    'Host *\n  User bob\n  ProxyCommand nc %h %p\n  StrictHostKeyChecking no\n' +
    '  UserKnownHostsFile /dev/null\n  HostKeyAlias everyone\n';
  const config = await configWith(t, greedy + renderHostBlock([entry], 'posix'));

  const result = await verifyWithSsh(config, entry, { platform: 'posix' });

  assert.equal(result.status, 'conflict');
  assert.ok(result.status === 'conflict');
  assert.deepEqual(
    result.conflicts.map((c) => [c.option, c.actual]),
    [
      ['ProxyCommand', 'nc %h %p'],
      ['User', 'bob'],
      ['HostKeyAlias', 'everyone'],
      ['StrictHostKeyChecking', 'false'],
      ['UserKnownHostsFile', '/dev/null'],
    ],
  );
  assert.ok(result.message.includes(`'${config}'`));
  assert.ok(result.message.includes(entry.alias));
  assert.ok(result.message.includes('write the entry again'));
});

test('a ProxyJump read before our block is a conflict too', async (t) => {
  const config = await configWith(t, `ProxyJump gw\n${renderHostBlock([entry], 'posix')}`);

  const result = await verifyWithSsh(config, entry, { platform: 'posix' });

  assert.ok(result.status === 'conflict');
  assert.deepEqual(
    result.conflicts.map((c) => c.option),
    ['ProxyCommand', 'ProxyJump'],
  );
});

test('a file ssh rejects is reported with ssh own words and the file name', async (t) => {
  const config = await configWith(t, 'Host x\n  NoSuchOption yes\n');

  const result = await verifyWithSsh(config, entry);

  assert.ok(result.status === 'rejected');
  assert.ok(result.message.includes(`'${config}'`));
  assert.match(result.message, /line 2: Bad configuration option: nosuchoption/);
});

test('a file starting with a BOM is reported as such', async (t) => {
  const config = await configWith(t, '\ufeffHost x\n');
  await writeHostBlock(config, [entry], { platform: 'posix' });

  const result = await verifyWithSsh(config, entry);

  assert.ok(result.status === 'rejected');
  assert.ok(result.message.includes('byte order mark'));
});

test('without an ssh client the file is reported unchecked, not wrong', async (t) => {
  const config = await configWith(t, '');
  await writeHostBlock(config, [entry], { platform: 'posix' });

  const result = await verifyWithSsh(config, entry, { sshPath: '/nonexistent/ssh' });

  assert.equal(result.status, 'no-ssh');
});

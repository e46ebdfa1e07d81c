// The config file as a file: created private, mode and owner kept, symlinks written through,
// no rewrite when nothing changes, concurrent writers serialized by the lock, stale locks broken,
// live ones respected, and damaged markers refused with the user's text untouched.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

import { readManagedHosts, removeHost, writeHostBlock } from '../src/ssh/configFile.js';
import { SshConfigError } from '../src/ssh/errors.js';
import { BEGIN_MARKER, END_MARKER, renderHostBlock } from '../src/ssh/hostBlock.js';
import { hostEntry, type HostEntry } from '../src/ssh/hostEntry.js';

const USER_TEXT = '# mine\nHost box\n\tHostName 192.0.2.1\r\n  User bob # trailing\n';

function entry(container: string): HostEntry {
  return hostEntry({
    target: {
      profile: 'dev',
      region: 'eu-west-1',
      cluster: 'web',
      target: 'service/api',
      container,
    },
    user: 'root',
    launcher: { command: '/usr/bin/node', args: ['/opt/proxy.js'] },
    identityFile: '/keys/id_ed25519',
    publicKeyFile: '/keys/id_ed25519.pub',
    knownHostsFile: '/keys/known_hosts',
  });
}

async function scratch(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-file-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const write = (path: string, e = entry('app')) => writeHostBlock(path, [e], { platform: 'posix' });

test('a missing config is created 0600 inside a new ~/.ssh made 0700', async (t) => {
  const home = await scratch(t);
  const config = join(home, '.ssh', 'config');

  const result = await write(config);

  assert.deepEqual(result, { path: config, changed: true, created: true });
  assert.equal(await modeOf(join(home, '.ssh')), 0o700);
  assert.equal(await modeOf(config), 0o600);
  assert.ok((await readFile(config, 'utf8')).startsWith(BEGIN_MARKER));
});

test('the mode of an existing config is kept, whatever the umask', async (t) => {
  const config = join(await scratch(t), 'config');
  await writeFile(config, USER_TEXT);
  await chmod(config, 0o640);
  const umask = process.umask(0o077);
  t.after(() => process.umask(umask));

  await write(config);

  assert.equal(await modeOf(config), 0o640);
});

test('the owner of an existing config is kept', async (t) => {
  const config = join(await scratch(t), 'config');
  await writeFile(config, USER_TEXT);
  const root = process.getuid?.() === 0;
  if (root) await chown(config, 4242, 4343);
  else t.diagnostic('not root: checks the owner stays the current user, not a foreign one');
  const before = await stat(config);

  await write(config);

  const after = await stat(config);
  assert.deepEqual([after.uid, after.gid], [before.uid, before.gid]);
  if (root) assert.deepEqual([after.uid, after.gid], [4242, 4343]);
});

test('a symlinked config is written through to its target and the links stay', async (t) => {
  const dir = await scratch(t);
  await mkdir(join(dir, 'dotfiles'));
  await mkdir(join(dir, '.ssh'));
  const target = join(dir, 'dotfiles', 'ssh_config');
  await writeFile(target, USER_TEXT, { mode: 0o644 });
  await symlink('../dotfiles/ssh_config', join(dir, '.ssh', 'middle'));
  await symlink('middle', join(dir, '.ssh', 'config'));

  const result = await write(join(dir, '.ssh', 'config'));

  assert.equal(result.path, target);
  assert.ok((await lstat(join(dir, '.ssh', 'config'))).isSymbolicLink());
  assert.equal(await readlink(join(dir, '.ssh', 'config')), 'middle');
  assert.equal(await readlink(join(dir, '.ssh', 'middle')), '../dotfiles/ssh_config');
  assert.ok((await readFile(target, 'utf8')).endsWith(USER_TEXT));
  assert.equal(await modeOf(target), 0o644);
});

test('a relative link inside a symlinked ~/.ssh is followed from its real directory', async (t) => {
  const dir = await scratch(t);
  await mkdir(join(dir, 'home'));
  await mkdir(join(dir, 'dotfiles', 'ssh'), { recursive: true });
  await mkdir(join(dir, 'dotfiles', 'common'));
  const target = join(dir, 'dotfiles', 'common', 'ssh_config');
  await writeFile(target, USER_TEXT);
  await symlink(join(dir, 'dotfiles', 'ssh'), join(dir, 'home', '.ssh'));
  await symlink('../common/ssh_config', join(dir, 'dotfiles', 'ssh', 'config'));

  const result = await write(join(dir, 'home', '.ssh', 'config'));

  assert.equal(result.path, target);
  assert.ok((await readFile(target, 'utf8')).endsWith(USER_TEXT));
  await assert.rejects(stat(join(dir, 'home', 'common')), /ENOENT/);
});

test('a symlink to a file not yet there creates that file 0600', async (t) => {
  const dir = await scratch(t);
  await symlink(join(dir, 'real', 'config'), join(dir, 'config'));

  await write(join(dir, 'config'));

  assert.ok((await lstat(join(dir, 'config'))).isSymbolicLink());
  assert.equal(await modeOf(join(dir, 'real', 'config')), 0o600);
});

test('writing what is already there changes nothing on disk', async (t) => {
  const config = join(await scratch(t), 'config');
  await writeFile(config, USER_TEXT);
  await write(config);
  const first = await stat(config);

  const result = await write(config);

  const second = await stat(config);
  assert.equal(result.changed, false);
  assert.deepEqual([second.ino, second.mtimeMs], [first.ino, first.mtimeMs]);
});

test('removing from a missing file creates nothing', async (t) => {
  const dir = await scratch(t);

  const result = await removeHost(join(dir, 'config'), entry('app').alias);

  assert.equal(result.changed, false);
  assert.deepEqual(await readdir(dir), []);
});

test('eight processes upserting at once each get their alias in, nothing else changes', async (t) => {
  const dir = await scratch(t);
  const config = join(dir, 'config');
  await writeFile(config, USER_TEXT);
  const names = Array.from({ length: 8 }, (_, i) => `worker${i}`);
  const program = join(__dirname, 'fixtures', 'ssh-configs', 'concurrentWriter.ts');

  const children = names.map((name) =>
    spawn(process.execPath, ['--import', 'tsx', program, config, name], { stdio: 'pipe' }),
  );
  await Promise.all(children.map((child) => once(child.stdout, 'data')));
  for (const child of children) child.stdin.write('go\n');
  const codes = await Promise.all(children.map(async (child) => (await once(child, 'exit'))[0]));

  assert.deepEqual(
    codes,
    names.map(() => 0),
  );
  const text = await readFile(config, 'utf8');
  for (const name of names) assert.ok(text.includes(`Host ${entry(name).alias}\n`), name);
  assert.ok(text.endsWith(USER_TEXT), 'the user text is intact after the block');
  assert.deepEqual(await readdir(dir), ['config'], 'no lock or temporary file left behind');
});

test('text saved while we wait for the lock is read again and kept', async (t) => {
  const config = join(await scratch(t), 'config');
  const lock = `${config}.ecs-remote-ssh.lock`;
  await writeFile(config, USER_TEXT);
  await writeFile(lock, `${process.pid}@${hostname()} held-by-test\n`);

  const writing = write(config);
  await writeFile(config, `${USER_TEXT}Host added-meanwhile\n`);
  await rm(lock);
  await writing;

  const text = await readFile(config, 'utf8');
  assert.ok(text.endsWith(`${USER_TEXT}Host added-meanwhile\n`));
  assert.ok(text.includes(`Host ${entry('app').alias}\n`));
});

test('a lock left by a process that died is broken', async (t) => {
  const config = join(await scratch(t), 'config');
  const lock = `${config}.ecs-remote-ssh.lock`;
  const dead = spawn(process.execPath, ['-e', '']);
  await once(dead, 'exit');
  await writeFile(lock, `${dead.pid}@${hostname()} crashed\n`);

  await write(config);

  await assert.rejects(stat(lock), { code: 'ENOENT' });
  assert.ok((await readFile(config, 'utf8')).includes(entry('app').alias));
});

test('a live lock is respected: the writer gives up with a clear error, file untouched', async (t) => {
  const config = join(await scratch(t), 'config');
  const lock = `${config}.ecs-remote-ssh.lock`;
  await writeFile(config, USER_TEXT);
  await writeFile(lock, `${process.pid}@${hostname()} busy\n`);

  await assert.rejects(
    writeHostBlock(config, [entry('app')], { platform: 'posix', lock: { waitMs: 200 } }),
    (error: unknown) =>
      error instanceof SshConfigError &&
      error.code === 'LOCK_TIMEOUT' &&
      error.message.includes(lock) &&
      error.message.includes('delete that file'),
  );
  assert.equal(await readFile(config, 'utf8'), USER_TEXT);
  assert.equal(await readFile(lock, 'utf8'), `${process.pid}@${hostname()} busy\n`);
});

test('a lock older than any write could take is stale even when its pid lives', async (t) => {
  const config = join(await scratch(t), 'config');
  const lock = `${config}.ecs-remote-ssh.lock`;
  await writeFile(lock, `${process.pid}@${hostname()} forgotten\n`);
  const longAgo = new Date(Date.now() - 10 * 60_000);
  await utimes(lock, longAgo, longAgo);

  await write(config);

  await assert.rejects(stat(lock), { code: 'ENOENT' });
});

const block = renderHostBlock([entry('old')], 'posix');
const DAMAGED: [string, string][] = [
  ['a begin marker without an end', `${USER_TEXT}${BEGIN_MARKER}\nHost ecs--x\n`],
  ['an end marker without a begin', `${USER_TEXT}${END_MARKER}\n`],
  ['two begin markers', `${BEGIN_MARKER}\n${block}${USER_TEXT}`],
  ['the end before the begin', `${END_MARKER}\n${USER_TEXT}${BEGIN_MARKER}\n`],
  ['two whole blocks', `${block}${USER_TEXT}${block}`],
];

for (const [what, text] of DAMAGED) {
  test(`damaged markers (${what}) are refused, naming the file and the fix`, async (t) => {
    const config = join(await scratch(t), 'config');
    await writeFile(config, text);
    const refused = (error: unknown) =>
      error instanceof SshConfigError &&
      error.code === 'BLOCK_DAMAGED' &&
      error.message.includes(`'${config}'`) &&
      /marker on line \d+/.test(error.message) &&
      error.message.includes('delete both markers');

    await assert.rejects(write(config), refused);
    await assert.rejects(removeHost(config, entry('old').alias), refused);
    assert.equal(await readFile(config, 'utf8'), text);
  });
}

test('a block below only comments stays put; one below settings moves to the top', async (t) => {
  const dir = await scratch(t);
  const header = '# my header\n\n# more\n';
  await writeFile(join(dir, 'a'), `${header}${block}Host x\n`);
  await writeFile(join(dir, 'b'), `Host *\n  User bob\n${block}Host x\n`);

  await write(join(dir, 'a'));
  await write(join(dir, 'b'));

  const a = await readFile(join(dir, 'a'), 'utf8');
  const b = await readFile(join(dir, 'b'), 'utf8');
  assert.ok(a.startsWith(`${header}${BEGIN_MARKER}\n`));
  assert.ok(b.startsWith(`${BEGIN_MARKER}\n`));
  assert.ok(b.endsWith(`${END_MARKER}\nHost *\n  User bob\nHost x\n`));
});

test('ssh-config, the parser Remote-SSH lists hosts with, reads our entries back', async (t) => {
  const config = join(await scratch(t), 'config');
  await writeFile(config, USER_TEXT);
  await writeHostBlock(config, [entry('app'), entry('worker')], { platform: 'posix' });

  const hosts = await readManagedHosts(config);

  assert.deepEqual(
    hosts.map((host) => host.alias),
    [entry('app').alias, entry('worker').alias],
  );
  assert.equal(hosts[0].options.User, 'root');
  assert.equal(hosts[0].options.HostKeyAlias, entry('app').alias);
  assert.equal(hosts[0].options.StrictHostKeyChecking, 'yes');
});

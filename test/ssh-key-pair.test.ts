// The user's key pair: generated once with ssh-keygen in a private directory, reused after that,
// repaired when only the public half is missing, and a key the user names is used as is or
// refused clearly when it is not there. No key material ever appears in a result or an error.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

import { SshConfigError } from '../src/ssh/errors.js';
import { ensureKeyPair } from '../src/ssh/keyPair.js';

async function scratch(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-key-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** The public key ssh-keygen derives from the private one: type and base64, no comment. */
function derived(privateKey: string): string {
  return execFileSync('ssh-keygen', ['-y', '-f', privateKey], { encoding: 'utf8' })
    .split(' ')
    .slice(0, 2)
    .join(' ');
}

test('an ed25519 key is generated once in a 0700 directory, then reused', async (t) => {
  const dir = join(await scratch(t), 'state');

  const first = await ensureKeyPair({ dir });
  const second = await ensureKeyPair({ dir });

  assert.deepEqual(first, {
    privateKey: join(dir, 'id_ed25519'),
    publicKey: join(dir, 'id_ed25519.pub'),
    generated: true,
  });
  assert.equal(second.generated, false);
  assert.equal(await modeOf(dir), 0o700);
  assert.equal(await modeOf(first.privateKey), 0o600);
  const publicText = await readFile(first.publicKey, 'utf8');
  assert.match(publicText, /^ssh-ed25519 [A-Za-z0-9+/=]+ ecs-remote-ssh\n$/);
  assert.ok(publicText.startsWith(derived(first.privateKey)), 'the halves belong together');
});

test('a private directory that was opened up is made 0700 again', async (t) => {
  const dir = join(await scratch(t), 'state');
  await mkdir(dir, { mode: 0o755 });
  await chmod(dir, 0o755);

  await ensureKeyPair({ dir });

  assert.equal(await modeOf(dir), 0o700);
});

test('callers racing for the first key all get the same pair', async (t) => {
  const dir = join(await scratch(t), 'state');

  const pairs = await Promise.all(Array.from({ length: 6 }, () => ensureKeyPair({ dir })));

  assert.equal(pairs.filter((pair) => pair.generated).length, 1);
  const publicText = await readFile(join(dir, 'id_ed25519.pub'), 'utf8');
  assert.ok(publicText.startsWith(derived(join(dir, 'id_ed25519'))));
});

test('a missing public half of our key is derived again from the private one', async (t) => {
  const dir = join(await scratch(t), 'state');
  const pair = await ensureKeyPair({ dir });
  await rm(pair.publicKey);

  const again = await ensureKeyPair({ dir });

  assert.equal(again.generated, false);
  assert.ok((await readFile(again.publicKey, 'utf8')).startsWith(derived(pair.privateKey)));
});

test('a key the user names is used as is and nothing is generated', async (t) => {
  const dir = await scratch(t);
  const mine = join(dir, 'id_mine');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'mine', '-f', mine]);

  const pair = await ensureKeyPair({ identityFile: mine, dir: join(dir, 'unused') });

  assert.deepEqual(pair, { privateKey: mine, publicKey: `${mine}.pub`, generated: false });
  await assert.rejects(stat(join(dir, 'unused')), { code: 'ENOENT' });
});

test('a named key that is missing gives an error naming it and the way out', async (t) => {
  const missing = join(await scratch(t), 'id_gone');

  await assert.rejects(
    ensureKeyPair({ identityFile: missing }),
    (error: unknown) =>
      error instanceof SshConfigError &&
      error.code === 'KEY_NOT_FOUND' &&
      error.message.includes(`'${missing}'`) &&
      error.message.includes('ssh-keygen -t ed25519'),
  );
});

test('a named key without its .pub is refused, and the key is not printed', async (t) => {
  const dir = await scratch(t);
  const mine = join(dir, 'id_mine');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', mine]);
  await rm(`${mine}.pub`);
  const secret = await readFile(mine, 'utf8');
  const body = secret.split('\n')[1];

  const error = await ensureKeyPair({ identityFile: mine }).catch((e: unknown) => e);

  assert.ok(error instanceof SshConfigError && error.code === 'KEY_NOT_FOUND');
  assert.ok(error.message.includes(`'${mine}.pub'`));
  assert.ok(!error.message.includes('PRIVATE KEY') && !error.message.includes(body));
});

test('a missing ssh-keygen is reported by name, with what to install', async (t) => {
  const dir = join(await scratch(t), 'state');

  await assert.rejects(
    ensureKeyPair({ dir, sshKeygenPath: '/nonexistent/ssh-keygen' }),
    (error: unknown) =>
      error instanceof SshConfigError &&
      error.code === 'KEYGEN_FAILED' &&
      error.message.includes('/nonexistent/ssh-keygen') &&
      error.message.includes('install the OpenSSH client'),
  );
});

test('a result carries paths only, never key material', async (t) => {
  const dir = join(await scratch(t), 'state');

  const pair = await ensureKeyPair({ dir });

  const secret = await readFile(pair.privateKey, 'utf8');
  const serialized = JSON.stringify(pair);
  assert.ok(!serialized.includes('PRIVATE KEY'));
  for (const line of secret.split('\n').filter((l) => l.length > 20)) {
    assert.ok(!serialized.includes(line));
  }
});

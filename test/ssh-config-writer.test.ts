// The Host block writer against real-world config shapes: our 26 fixtures, the 55 anonymized
// configs in ../shared when present, and a few hundred generated ones. For each: insert, update,
// insert a second alias, remove both; every byte outside our block stays as it was, removal gives
// the original back byte for byte, and the real `ssh -G` resolves our aliases to our settings
// while resolving every other host exactly as before.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { generateConfig } from './fixtures/ssh-configs/generateConfig.js';
import { BEGIN_MARKER, END_MARKER } from '../src/ssh/hostBlock.js';
import { hostEntry, type HostEntry } from '../src/ssh/hostEntry.js';
import { removeHost, writeHostBlock } from '../src/ssh/configFile.js';
import { renderProxyCommand } from '../src/ssh/quote.js';
import { verifyWithSsh } from '../src/ssh/verify.js';

const OWN_CORPUS = join(__dirname, 'fixtures', 'ssh-configs');
const SHARED_CORPUS = join(__dirname, '..', '..', 'shared', 'fixtures', 'ssh-configs');
const RANDOM_CONFIGS = 250;
const KEY_DIR = '/tmp/ecs remote 100%/keys';

function entry(container: string, variant: number): HostEntry {
  return hostEntry({
    target: {
      profile: 'dev',
      region: 'eu-west-1',
      cluster: 'web',
      target: 'service/api',
      container,
    },
    user: 'app',
    launcher: { command: '/usr/bin/node', args: [`/opt/ecs remote/v${variant}/proxy.js`] },
    identityFile: `${KEY_DIR}/id_ed25519`,
    publicKeyFile: `${KEY_DIR}/id_ed25519.pub`,
    knownHostsFile: `${KEY_DIR}/known_hosts`,
  });
}

// ---- an independent reading of the file: find the markers by bytes, cut the block out ----

const BEGIN = Buffer.from(BEGIN_MARKER);
const END = Buffer.from(END_MARKER);
const BOM_BYTES = Buffer.from([0xef, 0xbb, 0xbf]);

function cutBlock(bytes: Buffer): { outside: Buffer; block: Buffer; at: number } | undefined {
  const begin = bytes.indexOf(BEGIN);
  if (begin === -1) return undefined;
  const end = bytes.indexOf(END, begin);
  assert.notEqual(end, -1, 'an end marker follows the begin marker');
  const newline = bytes.indexOf(0x0a, end);
  const stop = newline === -1 ? bytes.length : newline + 1;
  const outside = Buffer.concat([bytes.subarray(0, begin), bytes.subarray(stop)]);
  return { outside, block: bytes.subarray(begin, stop), at: begin };
}

/** Aliases already in a block of ours that the original file carried (an older version's). */
function aliasesIn(original: Buffer): string[] {
  const block = cutBlock(original)?.block.toString('utf8') ?? '';
  return [...block.matchAll(/^Host (ecs--\S+)\s*$/gm)].map((match) => match[1]);
}

function usesCrlf(bytes: Buffer): boolean {
  const newline = bytes.indexOf(0x0a);
  return newline > 0 && bytes[newline - 1] === 0x0d;
}

function assertSpliced(after: Buffer, baseline: Buffer, aliases: string[], label: string): void {
  const cut = cutBlock(after);
  assert.ok(cut, `${label}: our block is present`);
  assert.ok(cut.outside.equals(baseline), `${label}: every byte outside our block is unchanged`);

  const bom = baseline.subarray(0, 3).equals(BOM_BYTES) ? 3 : 0;
  assert.equal(cut.at, bom, `${label}: our block is first in the file`);

  const block = cut.block.toString('utf8');
  for (const alias of aliases) {
    const count = block.split('\n').filter((line) => line.trim() === `Host ${alias}`).length;
    assert.equal(count, 1, `${label}: exactly one section for ${alias}`);
  }
  const crlf = usesCrlf(baseline);
  const bare = block
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.endsWith('\r') !== crlf);
  assert.deepEqual(bare, [], `${label}: our lines end like the file's (${crlf ? 'CRLF' : 'LF'})`);
}

// ---- the real ssh ----

interface SshRun {
  code: number;
  stdout: string;
  stderr: string;
}

function sshG(dir: string, host: string): Promise<SshRun> {
  return new Promise((resolve) => {
    const child = execFile('ssh', ['-G', '-F', 'config', host], { cwd: dir }, (error, out, err) => {
      const code = error ? Number(error.code ?? 1) : 0;
      const stderr = err
        .split('\n')
        .filter((line) => !line.startsWith('Pseudo-terminal'))
        .join('\n');
      resolve({ code, stdout: out, stderr });
    });
    child.stdin?.end();
  });
}

function dumpOf(stdout: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const key = line.slice(0, space).toLowerCase();
    map.set(key, [...(map.get(key) ?? []), line.slice(space + 1)]);
  }
  return map;
}

function assertResolvesToUs(run: SshRun, e: HostEntry, label: string): void {
  assert.equal(run.code, 0, `${label}: ssh -G accepts the file: ${run.stderr}`);
  const dump = dumpOf(run.stdout);
  const one = (key: string) => dump.get(key)?.[0];
  assert.equal(one('proxycommand'), renderProxyCommand(e.proxyCommand, 'posix'), label);
  assert.equal(one('proxyjump'), undefined, `${label}: no ProxyJump reaches our alias`);
  assert.equal(one('hostname'), e.alias, label);
  assert.equal(one('user'), e.user, label);
  assert.equal(one('hostkeyalias'), e.alias, label);
  assert.equal(one('stricthostkeychecking'), 'true', label);
  assert.equal(one('identitiesonly'), 'yes', label);
  assert.equal(one('identityfile')?.replace(/%%/g, '%'), e.identityFile, label);
  assert.ok(one('userknownhostsfile')?.startsWith(e.knownHostsFile), label);
  assert.equal(one('connecttimeout'), '120', label);
  assert.equal(one('serveraliveinterval'), '30', label);
}

/** Why ssh -G must not be run on this config, or undefined when it is safe. */
function sshSkipReason(text: string): string | undefined {
  if (/^\s*match\b.*\bexec\b/im.test(text)) return 'Match exec would run commands';
  if (/^\s*include\b/im.test(text)) return 'Include would read files outside the test';
  return undefined;
}

/** Up to three plain host names from the Host lines (no patterns), and one no line names. */
function otherHosts(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/^[ \t]*host(?:[ \t]*=[ \t]*|[ \t]+)([^#\r\n]*)/gim)) {
    for (const word of match[1].replace(/"/g, ' ').split(/[ \t]+/)) {
      if (/^[A-Za-z0-9._-]+$/.test(word)) names.add(word);
    }
  }
  return [...[...names].slice(0, 3), 'unrelated.example.org'];
}

// ---- one config through all the steps ----

async function exercise(original: Buffer, label: string, runSsh: boolean): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ssh-writer-'));
  try {
    const before = join(root, 'before');
    const after = join(root, 'after');
    await mkdir(before);
    await mkdir(after);
    // ssh -G compares against the file as it is without any block of ours.
    await writeFile(join(before, 'config'), cutBlock(original)?.outside ?? original);
    await writeFile(join(after, 'config'), original);
    await runSteps(original, before, after, label, runSsh);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function runSteps(
  original: Buffer,
  before: string,
  after: string,
  label: string,
  ssh: boolean,
) {
  const config = join(after, 'config');
  const baseline = cutBlock(original)?.outside ?? original;
  const [a0, a1, b] = [entry('app', 0), entry('app', 1), entry('worker', 0)];

  await writeHostBlock(config, [a0], { platform: 'posix' });
  assertSpliced(await readFile(config), baseline, [a0.alias], `${label} insert`);

  await writeHostBlock(config, [a1], { platform: 'posix' });
  const updated = await readFile(config);
  assertSpliced(updated, baseline, [a1.alias], `${label} update`);
  assert.ok(updated.includes('/v1/') && !updated.includes('/v0/'), `${label}: updated`);

  await writeHostBlock(config, [b], { platform: 'posix' });
  assertSpliced(await readFile(config), baseline, [a1.alias, b.alias], `${label} second alias`);
  if (ssh) await compareWithSsh(original, before, after, [a1, b], label);

  await removeHost(config, a1.alias);
  assertSpliced(await readFile(config), baseline, [b.alias], `${label} remove first`);
  for (const alias of [b.alias, ...aliasesIn(original)]) await removeHost(config, alias);
  assert.ok((await readFile(config)).equals(baseline), `${label}: removal restores the original`);
}

async function compareWithSsh(
  original: Buffer,
  before: string,
  after: string,
  ours: HostEntry[],
  label: string,
): Promise<void> {
  const probe = await sshG(before, 'unrelated.example.org');
  if (probe.code !== 0)
    return assertRejectedAlike(original, probe, await sshG(after, 'x'), after, label);

  const hosts = otherHosts((cutBlock(original)?.outside ?? original).toString('latin1'));
  const [resolved, verified, was, now] = await Promise.all([
    Promise.all(ours.map((e) => sshG(after, e.alias))),
    verifyWithSsh(join(after, 'config'), ours[0], { platform: 'posix' }),
    Promise.all(hosts.map((host) => sshG(before, host))),
    Promise.all(hosts.map((host) => sshG(after, host))),
  ]);
  ours.forEach((e, i) => assertResolvesToUs(resolved[i], e, `${label} ${e.alias}`));
  assert.deepEqual(verified, { status: 'ok' }, `${label}: verifyWithSsh agrees`);
  hosts.forEach((host, i) => {
    assert.deepEqual(now[i], was[i], `${label}: '${host}' resolves exactly as before`);
  });
}

/** A config ssh rejected before is rejected after with the same message, lines shifted. */
async function assertRejectedAlike(
  original: Buffer,
  was: SshRun,
  now: SshRun,
  after: string,
  label: string,
) {
  const block = cutBlock(await readFile(join(after, 'config')))?.block ?? Buffer.alloc(0);
  const shift = block.toString('latin1').split('\n').length - 1;
  const shifted = was.stderr.replace(/line (\d+)/g, (_m, n: string) => `line ${Number(n) + shift}`);
  assert.notEqual(now.code, 0, `${label}: ssh still rejects it`);
  if (!original.subarray(0, 3).equals(BOM_BYTES)) {
    assert.equal(now.stderr, shifted, `${label}: with the same complaint`);
    return;
  }
  // The BOM stays the file's first bytes, so ssh now trips over it on our marker line instead.
  assert.match(now.stderr, /line 1: Bad configuration option: \\357\\273\\277#/, label);
}

// ---- the corpora ----

async function runCorpus(t: test.TestContext, dir: string): Promise<void> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.conf')).sort();
  const skipped: string[] = [];
  for (const name of files) {
    const original = await readFile(join(dir, name));
    const reason = sshSkipReason(original.toString('latin1'));
    if (reason) skipped.push(`${name} (${reason})`);
    await t.test(name, () => exercise(original, name, reason === undefined));
  }
  t.diagnostic(
    `${files.length} configs; ssh -G not run on ${skipped.length}: ${skipped.join(', ')}`,
  );
  assert.ok(files.length >= 15, 'the corpus has at least 15 configs');
}

test('our corpus of config shapes: bytes kept, block first, ssh -G resolves ours', (t) =>
  runCorpus(t, OWN_CORPUS));

test(
  'the shared corpus of 55 real configs: bytes kept, block first, ssh -G resolves ours',
  { skip: existsSync(SHARED_CORPUS) ? false : `shared corpus not found at ${SHARED_CORPUS}` },
  (t) => runCorpus(t, SHARED_CORPUS),
);

test('a few hundred generated configs (seeded) keep their bytes and resolve as before', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ssh-random-'));
  try {
    const included = join(root, 'included.conf');
    await writeFile(included, 'Host *\n  User included\n  ProxyCommand nc %h %p\n');
    for (let seed = 1; seed <= RANDOM_CONFIGS; seed++) {
      const original = generateConfig(seed, included);
      await exercise(original, `seed ${seed}`, true);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

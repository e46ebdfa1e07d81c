// ProxyCommand and path quoting. POSIX renderings are run for real: through `sh -c` the way ssh
// runs them, and through ssh itself, and the program must receive exactly the intended argv.
// Windows renderings are split by the Microsoft C runtime rules the proxy's node.exe applies,
// and fed to this machine's ssh, whose config reader (argv_split) is the one Windows OpenSSH uses.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

import { writeHostBlock } from '../src/ssh/configFile.js';
import { SshConfigError } from '../src/ssh/errors.js';
import type { HostEntry } from '../src/ssh/hostEntry.js';
import { renderConfigPath, renderProxyCommand } from '../src/ssh/quote.js';

/** Arguments that break naive quoting, in both worlds. */
const NASTY = [
  'plain',
  "it's",
  '100%',
  '$HOME',
  '`id`',
  'back\\slash',
  'dq"x',
  '',
  '~',
  '#hash',
  'tab\there',
  'ünï',
  'a\\',
  'semi;colon & pipe|',
];

const POSIX_EXPECTED =
  "/usr/bin/node '/opt/My App/proxy.js' plain 'it'\\''s' '100%%' '$HOME' '`id`' " +
  "'back'\\\\'slash' 'dq\"x' '' '~' '#hash' 'tab\there' 'ünï' 'a'\\\\ 'semi;colon & pipe|'";

const WINDOWS_EXPECTED =
  '"C:/Program Files/nodejs/node.exe" "C:/Users/A X/.vscode/ext/dist/proxy.js" ' +
  'plain "it\'s" "100%%" "$HOME" "`id`" "back\\slash" "dq\\"x" "" "~" "#hash" "tab\there" ' +
  '"ünï" "a\\\\" "semi;colon & pipe|" //server/share/id.pub';

async function scratch(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-quote-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A program at a hostile path that writes its arguments, NUL-terminated, to $ARGS_OUT. */
async function argPrinter(dir: string): Promise<string> {
  const folder = join(dir, `it's a "dir" 100% $x \`y\``);
  await mkdir(folder);
  const program = join(folder, 'print args.sh');
  await writeFile(program, '#!/bin/sh\nprintf \'%s\\0\' "$@" > "$ARGS_OUT"\nexit 1\n');
  await chmod(program, 0o755);
  return program;
}

async function printedArgs(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\0').slice(0, -1);
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = execFile(program, args, { env }, (error) => resolve(Number(error?.code ?? 0)));
    child.stdin?.end();
  });
}

/** ssh's own `%` expansion, for a command with no tokens but `%%`. */
const expandPercent = (command: string) => command.replace(/%%/g, '%');

test('POSIX rendering: single quotes, escaped quotes and backslashes, %% for %', () => {
  const argv = ['/usr/bin/node', '/opt/My App/proxy.js', ...NASTY];
  assert.equal(renderProxyCommand(argv, 'posix'), POSIX_EXPECTED);
});

for (const shell of ['/bin/sh', '/bin/dash', '/bin/bash'].filter((path) => existsSync(path))) {
  test(`${shell} -c, as ssh runs a ProxyCommand, hands the program the exact argv`, async (t) => {
    const dir = await scratch(t);
    const program = await argPrinter(dir);
    const out = join(dir, 'args');
    const command = expandPercent(renderProxyCommand([program, ...NASTY], 'posix'));

    await run(shell, ['-c', `exec ${command}`], { ...process.env, ARGS_OUT: out });

    assert.deepEqual(await printedArgs(out), NASTY);
  });
}

test('the real ssh runs our Host block ProxyCommand with the exact argv', async (t) => {
  const dir = await scratch(t);
  const program = await argPrinter(dir);
  const out = join(dir, 'args');
  const config = join(dir, 'config');
  const entry: HostEntry = {
    alias: 'ecs--dev--eu-west-1--web--service-api--app',
    user: 'root',
    identityFile: join(dir, 'keys 100%', 'id_ed25519'),
    knownHostsFile: join(dir, 'keys 100%', 'known_hosts'),
    proxyCommand: [program, ...NASTY],
  };
  await writeHostBlock(config, [entry], { platform: 'posix' });

  const env = { ...process.env, SHELL: '/bin/sh', ARGS_OUT: out };
  const status = await run('ssh', ['-F', config, '-o', 'BatchMode=yes', entry.alias, 'true'], env);

  assert.notEqual(status, 0, 'the stand-in proxy closes at once, so ssh fails after running it');
  assert.deepEqual(await printedArgs(out), NASTY);
});

test('Windows rendering: quoted program first, double quotes, forward slashes in paths', () => {
  const argv = [
    'C:\\Program Files\\nodejs\\node.exe',
    'C:\\Users\\A X\\.vscode\\ext\\dist\\proxy.js',
    ...NASTY,
    '\\\\server\\share\\id.pub',
  ];
  const rendered = renderProxyCommand(argv, 'win32');

  assert.equal(rendered, WINDOWS_EXPECTED);
  assert.ok(rendered.startsWith('"'), 'Windows OpenSSH passes the line on only when it does');
});

test('Windows rendering splits back into the exact argv by the C runtime rules', () => {
  const argv = ['C:/Program Files/nodejs/node.exe', 'C:/x y/proxy.js', ...NASTY];
  const rendered = renderProxyCommand(argv, 'win32');

  assert.deepEqual(splitWindowsCommandLine(expandPercent(rendered)), argv);
});

test('ssh reads both renderings back from the config unchanged (balanced quotes)', async (t) => {
  const dir = await scratch(t);
  const windows = renderProxyCommand(['C:\\n.exe', ...NASTY], 'win32');
  const posix = renderProxyCommand(['/n', ...NASTY], 'posix');
  await writeFile(
    join(dir, 'config'),
    `Host w\n  ProxyCommand ${windows}\nHost p\n  ProxyCommand ${posix}\n`,
  );

  for (const [host, expected] of [
    ['w', windows],
    ['p', posix],
  ]) {
    const dump = await sshG(join(dir, 'config'), host);
    assert.equal(dump.get('proxycommand'), expected, host);
  }
});

test('paths for IdentityFile and UserKnownHostsFile come back from ssh as given', async (t) => {
  const dir = await scratch(t);
  const paths = [
    '/tmp/plain/id',
    '/tmp/with space/id',
    `/tmp/it's "q"/id`,
    '/tmp/back\\slash/id',
    '/tmp/100%/id',
    '/tmp/$dollar `tick`/id',
    '/tmp/#hash/id',
  ];
  for (const path of paths) {
    const value = renderConfigPath(path, 'posix');
    const config = join(dir, 'config');
    await writeFile(config, `Host h\n  IdentityFile ${value}\n  UserKnownHostsFile ${value}\n`);

    const dump = await sshG(config, 'h');

    assert.equal(dump.get('identityfile')?.replace(/%%/g, '%'), path, path);
    assert.equal(dump.get('userknownhostsfile'), path, path);
  }
});

test('Windows paths are written with forward slashes and quoted when they need it', () => {
  assert.equal(renderConfigPath('C:\\Users\\A X\\.ssh\\id', 'win32'), '"C:/Users/A X/.ssh/id"');
  assert.equal(renderConfigPath('C:\\Users\\ann\\.ssh\\id', 'win32'), 'C:/Users/ann/.ssh/id');
});

test('values ssh cannot carry are refused without echoing them', () => {
  const unsafe = (error: unknown) =>
    error instanceof SshConfigError &&
    error.code === 'UNSAFE_VALUE' &&
    !error.message.includes('\n');
  assert.throws(() => renderProxyCommand(['/n', 'two\nlines'], 'posix'), unsafe);
  assert.throws(() => renderProxyCommand(['/n', 'cr\rhere'], 'win32'), unsafe);
  assert.throws(() => renderProxyCommand([], 'posix'), unsafe);
  assert.throws(() => renderConfigPath('/home/${USER}/id', 'posix'), unsafe);
  assert.throws(() => renderConfigPath('/a\nb', 'posix'), unsafe);
});

// ---- helpers ----

function sshG(config: string, host: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = execFile('ssh', ['-G', '-F', config, host], (error, stdout, stderr) => {
      if (error) return reject(new Error(`ssh -G failed: ${stderr}`));
      const dump = new Map<string, string>();
      for (const line of stdout.split('\n')) {
        const space = line.indexOf(' ');
        if (space > 0 && !dump.has(line.slice(0, space))) {
          dump.set(line.slice(0, space), line.slice(space + 1));
        }
      }
      resolve(dump);
    });
    child.stdin?.end();
  });
}

/**
 * How a Windows program splits its command line (the documented C runtime rules): the program
 * name ends at the closing quote, or at blank space when unquoted; in the arguments, 2n
 * backslashes before a quote give n and the quote opens or closes, 2n+1 give n and a literal
 * quote, and backslashes anywhere else are literal.
 */
function splitWindowsCommandLine(line: string): string[] {
  let i = 0;
  let program = '';
  if (line[0] === '"') {
    const close = line.indexOf('"', 1);
    program = line.slice(1, close);
    i = close + 1;
  } else {
    while (i < line.length && !/[ \t]/.test(line[i])) program += line[i++];
  }
  const args: string[] = [];
  while (i < line.length) {
    while (i < line.length && /[ \t]/.test(line[i])) i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    while (i < line.length && (quoted || !/[ \t]/.test(line[i]))) {
      let slashes = 0;
      while (line[i] === '\\') {
        slashes++;
        i++;
      }
      if (line[i] === '"') {
        arg += '\\'.repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) arg += '"';
        else quoted = !quoted;
        i++;
      } else {
        arg += '\\'.repeat(slashes);
        if (i < line.length && (quoted || !/[ \t]/.test(line[i]))) arg += line[i++];
      }
    }
    args.push(arg);
  }
  return [program, ...args];
}

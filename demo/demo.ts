// `npm run demo`: the whole product on this machine, against the emulator. It starts the
// emulator with one cluster, one service, one task and one container from a Debian image
// without sshd, writes a Host block into a temporary ssh config, runs the real
// `ssh -F <config> <alias> 'cat /etc/os-release; id -un'` through the bundled proxy, prints what
// the container answered and each step's time, and cleans up.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureImage } from '../test/containers/images.js';
import { cacheRoot } from '../test/containers/paths.js';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import { emulatorEnv } from '../test/support/awsEnv.js';
import { ensureHostPackages } from './hostPackages.js';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const started = Date.now();

function say(message: string): void {
  process.stdout.write(`demo [${((Date.now() - started) / 1000).toFixed(2)}s] ${message}\n`);
}

async function main(): Promise<number> {
  ensureHostPackages(say);
  say('building dist/ (npm run build), so the demo runs the code of this checkout');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  say(`preparing the container image (built once, cached under ${cacheRoot()})`);
  await ensureImage('apt-local');

  const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-demo-'));
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({ world: demoWorld() });
    say(`emulator listening on ${emulator.endpoint} (ECS and SSM APIs, data channel)`);
    const alias = await writeHostBlock(emulator.endpoint, dir);
    say(`wrote Host ${alias} into ${join(dir, 'ssh_config')}`);
    say(`running: ssh -F ${join(dir, 'ssh_config')} ${alias} 'cat /etc/os-release; id -un'`);
    return await connect(emulator.endpoint, dir, alias);
  } finally {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
    say('cleaned up: emulator, container, temporary files');
  }
}

function demoWorld() {
  const container = {
    name: 'app',
    image: 'debian:bookworm-slim',
    emulatedImage: 'apt-local',
  } as const;
  return {
    targets: {},
    ecs: {
      clusters: [
        {
          name: 'demo',
          services: [{ name: 'web', taskDefinition: 'web:1', enableExecuteCommand: true }],
          tasks: [
            {
              service: 'web',
              taskDefinition: 'web:1',
              enableExecuteCommand: true,
              containers: [container],
            },
          ],
        },
      ],
    },
  };
}

function writeHostBlock(endpoint: string, dir: string): Promise<string> {
  const args = [CLI, 'config', 'service/web', '--cluster', 'demo', '--container', 'app'];
  args.push('--region', 'eu-west-1', '--config', join(dir, 'ssh_config'));
  args.push('--state-dir', join(dir, 'state'));
  return new Promise((resolve, reject) => {
    let out = '';
    const child = spawn(process.execPath, args, { env: emulatorEnv(endpoint) });
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.pipe(process.stderr);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out.trim());
      else reject(new Error(`ecs-ssh config exited with ${code}`));
    });
  });
}

function connect(endpoint: string, dir: string, alias: string): Promise<number> {
  const config = join(dir, 'ssh_config');
  const args = ['-F', config, '-o', 'BatchMode=yes', '-o', 'GlobalKnownHostsFile=/dev/null'];
  args.push(alias, 'cat /etc/os-release; id -un');
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, {
      env: emulatorEnv(endpoint),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(indent(chunk, '  | ')));
    child.stderr.on('data', (chunk: Buffer) => process.stdout.write(indent(chunk, '  ')));
    child.on('error', reject);
    child.on('close', (code) => {
      say(
        code === 0 ? 'ssh finished: you were root inside the container' : `ssh exited with ${code}`,
      );
      resolve(code ?? 1);
    });
  });
}

function indent(chunk: Buffer, prefix: string): string {
  return chunk
    .toString()
    .split('\n')
    .map((line) => (line ? `${prefix}${line}` : line))
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exit(1);
  },
);

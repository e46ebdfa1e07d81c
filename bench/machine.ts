// The machine the figures were measured on, and the code they were measured with.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  distribution: string;
  node: string;
  openssh: string;
  commit: string;
}

export function describeMachine(root: string): Machine {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown';
  const ssh = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    distribution: osRelease(),
    node: process.version,
    openssh: (ssh.stderr || ssh.stdout || 'unknown').trim(),
    commit: gitCommit(root),
  };
}

function osRelease(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function gitCommit(root: string): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    encoding: 'utf8',
  });
  const dirty = status.stdout.trim() ? ' with uncommitted changes' : '';
  return `${head.stdout.trim()}${dirty}`;
}

export function machineLines(machine: Machine): string[] {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGiB} GiB`,
    `- System: ${machine.distribution}, Linux ${machine.kernel}`,
    `- Node ${machine.node}; ${machine.openssh}`,
    `- Code: commit ${machine.commit}`,
  ];
}

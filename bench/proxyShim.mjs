// Wraps a ProxyCommand for the benchmark: node bench/proxyShim.mjs [--first-byte FILE] -- CMD...
// With --first-byte it relays CMD's stdout and writes the milliseconds from CMD's start to its
// first stdout byte into FILE; without it, CMD's stdio is ssh's own (no extra hop). When ssh
// hangs up (SIGHUP), CMD's process group gets SIGINT, which /usr/bin/time ignores and the proxy
// treats as the end, so `time -v` still writes its report; SIGKILL follows if it lingers.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout } from 'node:timers';

const args = process.argv.slice(2);
const firstByteFile = args[0] === '--first-byte' ? args[1] : undefined;
const command = args.slice(args.indexOf('--') + 1);

const started = process.hrtime.bigint();
const child = spawn(command[0], command.slice(1), {
  detached: true,
  stdio: ['inherit', firstByteFile ? 'pipe' : 'inherit', 'inherit'],
});

if (firstByteFile) {
  child.stdout.once('data', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    writeFileSync(firstByteFile, `${ms}\n`);
  });
  child.stdout.pipe(process.stdout);
  process.stdout.on('error', () => undefined);
}

const signalGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};

process.on('SIGHUP', () => {
  signalGroup('SIGINT');
  setTimeout(() => signalGroup('SIGKILL'), 10_000).unref();
});
process.on('SIGTERM', () => signalGroup('SIGKILL'));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

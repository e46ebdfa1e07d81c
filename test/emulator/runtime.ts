// Where an emulated target's ports and processes live. The host runtime dials 127.0.0.1 and
// spawns on this machine; a later runtime can do both inside a container's network namespace.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import { parseLoopbackAddress, type TargetSpec } from './world.js';

export interface TargetRuntime {
  /** Connects to `localhost:<port>` as seen from inside the target. Rejects like a refused dial. */
  dial(port: string): Promise<Duplex>;
  /** Starts argv[0] with argv[1..] directly, no shell; stdin closed, stdout and stderr piped. */
  run(argv: string[], options: { cwd?: string }): ChildProcess;
}

export type RuntimeFactory = (targetId: string, spec: TargetSpec) => TargetRuntime;

export const hostRuntime: RuntimeFactory = (_targetId, spec) => ({
  dial: (port) => dialHostPort(spec, port),
  run: (argv, options) => runOnHost(argv, options.cwd ?? spec.commandCwd),
});

/** The agent dials localhost:<port>; its error text is Go's, which clients may show to users. */
function dialHostPort(spec: TargetSpec, port: string): Promise<Duplex> {
  const address = spec.ports?.[port];
  const hostPort = address === undefined ? undefined : parseLoopbackAddress(address);
  if (hostPort === undefined) {
    return Promise.reject(new Error(`dial tcp 127.0.0.1:${port}: connect: connection refused`));
  }
  return new Promise((resolve, reject) => {
    // noDelay: the agent is written in Go, whose TCP connections send without Nagle's delay.
    const socket: Socket = connect({ host: '127.0.0.1', port: hostPort, noDelay: true });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ECONNREFUSED' ? 'connection refused' : error.message;
      reject(new Error(`dial tcp 127.0.0.1:${port}: connect: ${reason}`));
    });
  });
}

function runOnHost(argv: string[], cwd: string | undefined): ChildProcess {
  if (cwd !== undefined && !existsSync(cwd)) {
    throw new Error(`chdir ${cwd}: no such file or directory`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  if (!env.LANG) env.LANG = 'C.UTF-8';
  return spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

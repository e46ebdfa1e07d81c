// The host half of Container.dial(): a relay process inside the container's network namespace
// (relay.mjs) listens on a Unix socket in the container's state directory; each dial is one
// Unix connection plus a one-line handshake, so it costs no process start.

import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';

import { hostEnv } from './host.js';

const RELAY = join(__dirname, 'relay.mjs');

/** Unix socket paths longer than this do not fit in sockaddr_un. */
const MAX_SOCKET_PATH = 107;

export interface Relay {
  child: ChildProcess;
  socketPath: string;
  /** Resolves once the relay listens. */
  ready: Promise<void>;
}

/** Starts the relay; it dies with us (parent-death signal, and it exits when stdin closes). */
export function startRelay(netns: string, socketPath: string): Relay {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(
      `Socket path too long for a Unix socket: ${socketPath}; shorten the cache path`,
    );
  }
  const command = ['nsenter', `--net=/run/netns/${netns}`, '--', process.execPath, RELAY];
  const args = ['--pdeathsig', 'KILL', '--', ...command, socketPath];
  const child = spawn('setpriv', args, { env: hostEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const ready = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Dial relay exited (${code}): ${stderr}`)));
  });
  ready.then(
    () => unrefAll(child),
    () => undefined,
  );
  return { child, socketPath, ready };
}

/** Lets this process exit while the child runs; exit handlers then stop it. */
export function unrefAll(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as Socket | null)?.unref();
  }
}

/**
 * A byte stream to 127.0.0.1:port inside the namespace. Rejects with the agent's wording
 * ("dial tcp 127.0.0.1:22: connect: connection refused") and the errno code when refused.
 */
export async function dialThrough(relay: Relay, port: number): Promise<Socket> {
  await relay.ready;
  const socket = createConnection({ path: relay.socketPath });
  socket.write(`${port}\n`);

  const reply = await readReply(socket);
  if (reply === 'OK') return socket;

  socket.destroy();
  const code = reply.replace(/^ERR /, '');
  const reason = code === 'ECONNREFUSED' ? 'connection refused' : code;
  const error = new Error(`dial tcp 127.0.0.1:${port}: connect: ${reason}`);
  throw Object.assign(error, { code, port });
}

/** Reads the relay's reply line and puts any bytes after it back for the caller. */
function readReply(socket: Socket): Promise<string> {
  let received = Buffer.alloc(0);

  return new Promise((resolve, reject) => {
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        received = Buffer.concat([received, chunk]);
      }
      const newline = received.indexOf(10);
      if (newline < 0) return;
      done();
      if (newline + 1 < received.length) socket.unshift(received.subarray(newline + 1));
      resolve(received.subarray(0, newline).toString());
    };
    const onEnd = () => {
      done();
      reject(new Error(`Dial relay closed the connection without a reply`));
    };
    const done = () => {
      socket.off('readable', onReadable).off('end', onEnd).off('error', onError);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    socket.on('readable', onReadable).on('end', onEnd).on('error', onError);
  });
}

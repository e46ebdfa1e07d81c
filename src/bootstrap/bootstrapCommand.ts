// The command that bootstraps sshd in a container, and the reader of its result line.
//
// The command travels as the `command` parameter of AWS-StartNonInteractiveCommand. The agent
// in an ECS container splits it into arguments with shell-like quoting and runs it without a
// shell, so it is `sh -c '<script>' ecs-remote-ssh PORT KEY USER` with single-quote escaping.
// Size limit: the SSM model allows 65,535 characters per parameter value; we design for at most
// 8,192 bytes so that the command also fits comfortably in the agent's message and log paths.
// A test measures the real length.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const __BOOTSTRAP_SCRIPT__: string | undefined;

export const BOOTSTRAP_COMMAND_LIMIT = 8192;
export const DEFAULT_SSHD_PORT = 52222;

export interface BootstrapRequest {
  port: number;
  publicKey: string;
  loginUser: string;
}

/** The script source: inlined by esbuild into the bundle, read from disk under tsx. */
export function bootstrapScript(): string {
  if (typeof __BOOTSTRAP_SCRIPT__ === 'string') return __BOOTSTRAP_SCRIPT__;
  return readFileSync(join(__dirname, 'bootstrap.sh'), 'utf8');
}

/** Drops comment lines and indentation; the heredoc body has neither, so it survives intact. */
export function compactScript(source: string): string {
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('\n');
}

export function buildBootstrapCommand(request: BootstrapRequest): string {
  const key = request.publicKey.trim();
  if (!/^(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\n\r]*)?$/.test(key)) {
    throw new Error('The public key is not a single OpenSSH public key line.');
  }
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(request.loginUser)) {
    throw new Error(`"${request.loginUser}" is not a valid login user name.`);
  }
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
    throw new Error(`${request.port} is not a TCP port.`);
  }
  const args = ['ecs-remote-ssh', String(request.port), key, request.loginUser];
  const command = ['sh', '-c', compactScript(bootstrapScript()), ...args].map(quote).join(' ');
  if (Buffer.byteLength(command) > BOOTSTRAP_COMMAND_LIMIT) {
    throw new Error(
      `The bootstrap command is ${Buffer.byteLength(command)} bytes, over its limit.`,
    );
  }
  return command;
}

/** POSIX single quoting, which the agent's argument splitting also follows. */
export function quote(word: string): string {
  if (/^[A-Za-z0-9_./=:-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export type BootstrapResult =
  | { ok: true; port: number; user: string; actions: string[]; hostKey: string }
  | { ok: false; code: string; reason: string };

const RESULT_PREFIX = 'ECSR-RESULT ';

/** Reads the last result line of the output, or undefined when there is none. */
export function parseBootstrapResult(output: string): BootstrapResult | undefined {
  const line = output
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) return undefined;
  const body = line.slice(RESULT_PREFIX.length);
  const error = /^error code=([A-Z_]+) reason=(.*)$/.exec(body);
  if (error) return { ok: false, code: error[1], reason: error[2] };
  const ok = /^ok port=(\d+) user=(\S+) did=(\S*) hostkey=(\S+ \S+)$/.exec(body);
  if (!ok) return undefined;
  return {
    ok: true,
    port: Number(ok[1]),
    user: ok[2],
    actions: ok[3] ? ok[3].split(',') : [],
    hostKey: ok[4],
  };
}

// The command that bootstraps sshd in a container, and the reader of its result line.
//
// The command travels as the `command` parameter of AWS-StartNonInteractiveCommand. The agent
// in an ECS container splits it into arguments with shell-like quoting and runs it without a
// shell, so it is `sh -c '<script>' ecs-remote-ssh PORT KEY USER` with single-quote escaping.
// Size limit: the SSM model allows 65,535 characters per parameter value; we design for at most
// 16,384 bytes: a quarter of that, so the script (about 6.7 KB) leaves room for the largest
// public keys (a 16384-bit RSA key line is about 2.8 KB) and the agent's own wrapping.
// A test measures the real length.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const __BOOTSTRAP_SCRIPT__: string | undefined;

export const BOOTSTRAP_COMMAND_LIMIT = 16_384;
export const DEFAULT_SSHD_PORT = 52222;

export interface BootstrapRequest {
  port: number;
  /** Unused by a probe. */
  publicKey: string;
  loginUser: string;
  /** `probe` changes nothing in the container: it says whether sshd is there or installable. */
  mode?: 'start' | 'probe';
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
  const probe = request.mode === 'probe';
  const key = probe ? '-' : request.publicKey.trim();
  if (!probe && !/^(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\n\r]*)?$/.test(key)) {
    throw new Error('The public key is not a single OpenSSH public key line.');
  }
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(request.loginUser)) {
    throw new Error(`"${request.loginUser}" is not a valid login user name.`);
  }
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
    throw new Error(`${request.port} is not a TCP port.`);
  }
  const args = ['ecs-remote-ssh', String(request.port), key, request.loginUser];
  if (probe) args.push('probe');
  const command = ['sh', '-c', compactScript(bootstrapScript()), ...args].map(quote).join(' ');
  if (Buffer.byteLength(command) > BOOTSTRAP_COMMAND_LIMIT) {
    throw new Error(
      `The bootstrap command would be ${Buffer.byteLength(command)} bytes, over its ` +
        `${BOOTSTRAP_COMMAND_LIMIT}-byte limit: the public key line is ${Buffer.byteLength(key)} ` +
        'bytes. Use a key with a shorter comment.',
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

/** What a probe found: sshd at a path, or none yet but apt can install it. */
export type ProbeResult = { sshd: string } | { install: string };

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

/** Reads a probe's result line; errors come back as from parseBootstrapResult. */
export function parseProbeResult(output: string): ProbeResult | BootstrapResult | undefined {
  const parsed = parseBootstrapResult(output);
  if (parsed) return parsed;
  const line = output
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.startsWith(`${RESULT_PREFIX}probe `));
  const found = /^ECSR-RESULT probe (sshd|install)=(\S+)$/.exec(line ?? '');
  if (!found) return undefined;
  return found[1] === 'sshd' ? { sshd: found[2] } : { install: found[2] };
}

// What the ProxyCommand does, step by step: resolve the task and container, bootstrap sshd
// through a command session, pin the host key it reports, then relay stdin and stdout over an
// AWS-StartSSHSession port session.

import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

import { createClients } from '../aws/clients.js';
import { describeSpec, type ResolvedTarget } from '../aws/resolveTarget.js';
import {
  buildBootstrapCommand,
  parseBootstrapResult,
  type BootstrapResult,
} from '../bootstrap/bootstrapCommand.js';
import { preflightWarnings, renderLine, resolveWhenReady } from '../diagnose/index.js';
import { connectPort, runCommand } from '../ssm/connect.js';
import { SsmSessions } from '../ssm/ssmSessions.js';
import { pinHostKey } from './hostKeys.js';
import { ProxyError } from './proxyError.js';
import type { ProxyOptions } from './proxyOptions.js';
import type { StepLog } from './stepLog.js';

export interface ProxyIo {
  input: Readable;
  output: Writable;
  signal: AbortSignal;
}

export interface PreparedConnection {
  target: ResolvedTarget;
  bootstrap: OkResult;
  sessions: SsmSessions;
}

/**
 * Everything before the SSH stream: resolve the task and container, start sshd in it, pin the
 * host key it reports. The extension runs this with a progress notification before it opens
 * Remote-SSH; the proxy runs it again on every connect, where it takes the fast path.
 */
export async function prepareConnection(
  options: ProxyOptions,
  log: StepLog,
  signal?: AbortSignal,
): Promise<PreparedConnection> {
  const publicKey = readPublicKey(options.publicKeyFile);
  const clients = createClients({ profile: options.profile, region: options.region }, log);
  const sessions = new SsmSessions(clients.ssm);

  log.step(`resolving ${describeSpec(options.target)} in cluster "${options.cluster}"`);
  const target = await resolveWhenReady(
    clients.ecs,
    options.cluster,
    options.target,
    options.container,
    { timeoutMs: (options.agentWaitSeconds ?? 60) * 1000, onProgress: (m) => log.step(m), signal },
  );
  log.step(`task ${target.taskId}, container "${target.containerName}"`);
  for (const warning of await preflightWarnings(clients.ecs, target)) log.warn(renderLine(warning));

  signal?.throwIfAborted();
  log.step('starting sshd in the container');
  const command = buildBootstrapCommand({ port: options.port, publicKey, loginUser: options.user });
  const result = await untilAborted(
    runCommand(sessions, target.ssmTarget, command, { logger: log, timeoutMs: 300_000 }),
    signal,
  );
  const bootstrap = readBootstrapOutcome(parseBootstrapResult(result.stdout.toString()), result);
  log.step(
    `sshd ready on port ${bootstrap.port} (${bootstrap.actions.join(', ') || 'no changes'})`,
  );

  signal?.throwIfAborted();
  await pin(options, target, bootstrap.hostKey, log);
  return { target, bootstrap, sessions };
}

/** Stops waiting when `signal` aborts. The bootstrap itself runs on to its end in the container
 * (it is idempotent), and its session closes when it does. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function runProxy(options: ProxyOptions, io: ProxyIo, log: StepLog): Promise<void> {
  const { target, bootstrap, sessions } = await prepareConnection(options, log);

  log.step('opening the SSH stream');
  const session = await connectPort(sessions, target.ssmTarget, bootstrap.port, {
    input: io.input,
    output: io.output,
    signal: io.signal,
    chunkSize: options.chunkSize,
    logger: log,
  });
  const { resends, duplicates } = session.channel.stats;
  log.info(
    `session ended (${session.bytesOut} bytes sent, ${session.bytesIn} received; ` +
      `${resends} messages resent, ${duplicates} duplicates received)`,
  );
}

function readPublicKey(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ProxyError(
      'KEY_UNREADABLE',
      `cannot read the public key "${file}" (${code}); check --public-key.`,
    );
  }
}

type OkResult = Extract<BootstrapResult, { ok: true }>;

function readBootstrapOutcome(
  parsed: BootstrapResult | undefined,
  result: { stdout: Buffer; stderr: Buffer; closeOutput: string },
): OkResult {
  if (parsed?.ok) return parsed;
  if (parsed) {
    throw new ProxyError(
      `BOOTSTRAP_${parsed.code}`,
      `starting sshd in the container failed: ${parsed.reason}`,
    );
  }
  const text = `${result.stdout.toString()}\n${result.stderr.toString()}\n${result.closeOutput}`;
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(text)) {
    throw new ProxyError(
      'BOOTSTRAP_NO_SHELL',
      'the container image has no /bin/sh, so sshd cannot be started in it; use an image ' +
        'with a shell (not distroless or scratch).',
    );
  }
  const lastLine = text.trim().split('\n').pop()?.slice(0, 300) ?? '';
  throw new ProxyError(
    'BOOTSTRAP_NO_RESULT',
    `starting sshd in the container gave no result line; its last output was: ` +
      `${lastLine || '(nothing)'}`,
  );
}

async function pin(
  options: ProxyOptions,
  target: ResolvedTarget,
  hostKey: string,
  log: StepLog,
): Promise<void> {
  const change = await pinHostKey(
    options.knownHostsFile,
    options.hostKeyAlias,
    hostKey,
    target.taskId,
  );
  if (!change.changed) return;
  if (change.previousTaskId && change.previousTaskId !== target.taskId) {
    log.step(
      `task ${change.previousTaskId} was replaced by ${target.taskId}; pinned its new host key`,
    );
  } else {
    log.warn(
      `the host key of task ${target.taskId} changed since the last connect; pinned the key ` +
        `it reports now`,
    );
  }
}

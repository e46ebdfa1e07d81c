// A non-interactive command session (AWS-StartNonInteractiveCommand): collect what the command
// prints, finish on channel_closed, and read the exit code when the agent sends one (only with
// separate output streams, agent 3.1.1511.0 and later).

import { type DataChannel } from './dataChannel.js';
import { ChannelError } from './errors.js';
import { PayloadType, type DecodedMessage } from './message.js';
import { openSession, type SessionOptions } from './session.js';

export interface CommandSessionOptions extends Omit<SessionOptions, 'onData'> {
  /** Called with each piece of output as it arrives, for progress. */
  onOutput?: (text: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Whole-session limit (default 10 min); the session is ended when it passes. */
  timeoutMs?: number;
  terminate?: () => Promise<void>;
}

export interface CommandResult {
  stdout: Buffer;
  stderr: Buffer;
  /** Present only when the agent reported it. */
  exitCode?: number;
  /** The `Output` text of `channel_closed`. */
  closeOutput: string;
}

export async function runCommandSession(options: CommandSessionOptions): Promise<CommandResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let exitCode: number | undefined;

  const onData = (message: DecodedMessage): void => {
    if (message.payloadType === PayloadType.Output) {
      stdout.push(message.payload);
      options.onOutput?.(message.payload, 'stdout');
    } else if (message.payloadType === PayloadType.StdErr) {
      stderr.push(message.payload);
      options.onOutput?.(message.payload, 'stderr');
    } else if (message.payloadType === PayloadType.ExitCode) {
      exitCode = parseExitCode(message.payload.toString('utf8'));
    }
  };

  const { channel } = await openSession({ ...options, onData });
  const end = await withTimeout(channel, options.timeoutMs ?? 600_000, options.terminate);
  return {
    stdout: Buffer.concat(stdout),
    stderr: Buffer.concat(stderr),
    exitCode,
    closeOutput: end.output,
  };
}

function parseExitCode(text: string): number | undefined {
  const match = /EXIT_CODE:\s*(-?\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

async function withTimeout(
  channel: DataChannel,
  timeoutMs: number,
  terminate: (() => Promise<void>) | undefined,
): Promise<{ output: string }> {
  const timer = setTimeout(() => {
    channel.fail(
      new ChannelError(
        'CANCELLED',
        `The command in session ${channel.sessionId} did not finish within ` +
          `${Math.round(timeoutMs / 1000)} s.`,
      ),
    );
    void terminate?.().catch(() => undefined);
  }, timeoutMs);
  try {
    return await channel.finished;
  } finally {
    clearTimeout(timer);
  }
}

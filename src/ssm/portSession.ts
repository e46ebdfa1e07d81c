// A port session in stdio mode: what ssh's ProxyCommand needs. Bytes read from `input` go out
// as Output messages of at most `chunkSize` bytes; Output from the agent is written to `output`.
// The session ends when the agent closes it, when `signal` aborts (ssh hangs up), or when the
// input has ended and nothing has arrived for `lingerMs`.

import type { Readable, Writable } from 'node:stream';

import { type ChannelEnd, type DataChannel } from './dataChannel.js';
import { Flag, PayloadType, type DecodedMessage } from './message.js';
import { openSession, type SessionOptions } from './session.js';

export interface PortSessionOptions extends Omit<SessionOptions, 'onData' | 'onDrain' | 'isReady'> {
  input: Readable;
  output: Writable;
  /** Largest Output payload we send (default 1024, as the official plugin). */
  chunkSize?: number;
  /** After input EOF, end the session once nothing has arrived for this long (default 5 s). */
  lingerMs?: number;
  /** Aborting ends the session cleanly: TerminateSession flag, then the API call. */
  signal?: AbortSignal;
  /** The TerminateSession API call, made after the flag as belt and braces. */
  terminate?: () => Promise<void>;
  /** Bytes buffered toward `output` above which agent data is left unacknowledged. */
  outputHighWater?: number;
}

export interface PortSessionResult extends ChannelEnd {
  bytesIn: number;
  bytesOut: number;
  channel: DataChannel;
}

export async function runPortSession(options: PortSessionOptions): Promise<PortSessionResult> {
  const chunkSize = options.chunkSize ?? 1024;
  const highWater = options.outputHighWater ?? 4 * 1024 * 1024;
  const { input, output } = options;
  let bytesIn = 0;
  let bytesOut = 0;
  let lastArrival = Date.now();

  const onData = (message: DecodedMessage): void => {
    lastArrival = Date.now();
    if (message.payloadType === PayloadType.Output) {
      bytesIn += message.payload.length;
      output.write(message.payload);
    } else if (message.payloadType === PayloadType.Flag && message.payload.length >= 4) {
      const flag = message.payload.readUInt32BE(0);
      if (flag === Flag.ConnectToPortError) {
        options.logger?.warn('the agent could not connect to the destination port');
      }
    }
  };

  const { channel } = await openSession({
    ...options,
    onData,
    isReady: () => output.writableLength < highWater,
    onDrain: () => input.resume(),
  });

  const pump = (chunk: Buffer): void => {
    for (let offset = 0; offset < chunk.length; offset += chunkSize) {
      const piece = chunk.subarray(offset, offset + chunkSize);
      bytesOut += piece.length;
      if (!channel.send(PayloadType.Output, Buffer.from(piece))) input.pause();
    }
  };
  input.on('data', pump);

  let terminating: Promise<void> | undefined;
  const terminate = (): Promise<void> =>
    (terminating ??= terminateCleanly(channel, options.terminate));
  const ending = endWhenIdle(
    channel,
    input,
    options.lingerMs ?? 5000,
    () => lastArrival,
    terminate,
  );
  const onAbort = (): void => void terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  try {
    const end = await channel.finished;
    await terminating;
    return { ...end, bytesIn, bytesOut, channel };
  } finally {
    ending.cancel();
    input.off('data', pump);
    input.pause();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** After input EOF: wait for our data to be acknowledged, then for the agent to go quiet. */
function endWhenIdle(
  channel: DataChannel,
  input: Readable,
  lingerMs: number,
  lastArrival: () => number,
  end: () => Promise<void>,
): { cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const idle = Date.now() - lastArrival();
    if (channel.unacknowledged === 0 && idle >= lingerMs) {
      void end();
      return;
    }
    timer = setTimeout(check, Math.max(50, Math.min(lingerMs - idle, 500)));
  };
  const onEnd = (): void => check();
  input.once('end', onEnd);
  return {
    cancel: () => {
      input.off('end', onEnd);
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Ends the session on purpose: the TerminateSession flag, a short wait for its ack, then the
 * TerminateSession API call (bounded, so a hung API never keeps ssh waiting), then the socket.
 */
export async function terminateCleanly(
  channel: DataChannel,
  terminate: (() => Promise<void>) | undefined,
): Promise<void> {
  const flag = Buffer.alloc(4);
  flag.writeUInt32BE(Flag.TerminateSession, 0);
  try {
    channel.send(PayloadType.Flag, flag);
    await channel.drained(1000);
  } catch {
    // The channel is already closed: nothing to flag.
  }
  if (terminate) {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([terminate().catch(() => undefined), timeout]);
  }
  channel.close();
}

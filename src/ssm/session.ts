// A data channel whose handshake is done: opens the channel, answers the agent's handshake
// request, and resolves once HandshakeComplete arrives. Stream messages after that go to onData.

import { DataChannel, type DataChannelOptions } from './dataChannel.js';
import { ChannelError } from './errors.js';
import {
  answerHandshake,
  handshakeTimeout,
  kmsNotSupported,
  type HandshakeOutcome,
} from './handshake.js';
import type { DecodedMessage } from './message.js';
import { PayloadType } from './message.js';

export interface SessionOptions extends Omit<DataChannelOptions, 'onMessage' | 'isReady'> {
  /** Stream messages after the handshake: Output, StdErr, ExitCode, Flag. */
  onData: (message: DecodedMessage) => void;
  isReady?: (message: DecodedMessage) => boolean;
  /** How long to wait for the agent to complete the handshake (default 30 s). */
  handshakeTimeoutMs?: number;
}

export interface OpenSession {
  channel: DataChannel;
  handshake: HandshakeOutcome;
}

const HANDSHAKE_TYPES = new Set<number>([
  PayloadType.HandshakeRequest,
  PayloadType.HandshakeComplete,
  PayloadType.EncChallengeRequest,
]);

export async function openSession(options: SessionOptions): Promise<OpenSession> {
  let handshake: HandshakeOutcome | undefined;
  let complete = false;
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const sessionId = options.credentials.sessionId;

  const onHandshakeMessage = (message: DecodedMessage): void => {
    if (message.payloadType === PayloadType.HandshakeRequest) {
      handshake = answerHandshake(message.payload);
      channel.send(PayloadType.HandshakeResponse, handshake.response);
      if (handshake.kmsKeyId) settle.reject(kmsNotSupported(sessionId, handshake.kmsKeyId));
    } else if (message.payloadType === PayloadType.HandshakeComplete) {
      complete = true;
      settle.resolve();
    } else {
      settle.reject(
        new ChannelError(
          'PROTOCOL_ERROR',
          `Session ${sessionId} sent an encryption challenge without a key.`,
        ),
      );
    }
  };

  const channel = new DataChannel({
    ...options,
    isReady: (message) =>
      HANDSHAKE_TYPES.has(message.payloadType) || !complete || (options.isReady?.(message) ?? true),
    onMessage: (message) => {
      if (HANDSHAKE_TYPES.has(message.payloadType)) {
        try {
          onHandshakeMessage(message);
        } catch (error) {
          settle.reject(error as Error);
          channel.fail(error as Error);
        }
      } else if (complete) options.onData(message);
      else
        options.logger?.debug(`ignored payload type ${message.payloadType} before the handshake`);
    },
  });

  channel.finished.then(
    (end) => settle.reject(closedDuringHandshake(sessionId, end.output)),
    (error: Error) => settle.reject(error),
  );

  const timeoutMs = options.handshakeTimeoutMs ?? 30_000;
  const timer = setTimeout(
    () => settle.reject(handshakeTimeout(sessionId, timeoutMs / 1000)),
    timeoutMs,
  );
  try {
    await channel.connect();
    await ready;
  } catch (error) {
    channel.fail(error as Error);
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return { channel, handshake: handshake ?? answerHandshake(Buffer.from('{}')) };
}

function closedDuringHandshake(sessionId: string, output: string): ChannelError {
  const reason = output.trim() ? `: ${output.trim()}` : '';
  return new ChannelError(
    'HANDSHAKE_FAILED',
    `Session ${sessionId} was closed by Session Manager before the handshake completed${reason}`,
  );
}

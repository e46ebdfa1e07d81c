// A raw-frame client for the emulator's own tests: the codec plus a websocket, nothing of
// src/ssm's client. Every received frame is kept; tests wait for the ones they expect.

import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';

import {
  decodeMessage,
  encodeMessage,
  MessageType,
  PayloadType,
  type DecodedMessage,
} from '../../src/ssm/message.js';

const WAIT_LIMIT_MS = 10_000;

export interface WireClientOptions {
  /** Acknowledge every output_stream_data with a valid digest as it arrives. */
  autoAck?: boolean;
}

export class WireClient {
  readonly frames: DecodedMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly taken = new Set<DecodedMessage>();
  private listeners: (() => void)[] = [];

  private constructor(
    private readonly socket: WebSocket,
    private readonly options: WireClientOptions,
  ) {
    socket.on('message', (data: Buffer) => this.onFrame(data));
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
  }

  /** Connects and sends the open frame with `token` (any JSON value; a string normally). */
  static async open(
    streamUrl: string,
    token: unknown,
    options: WireClientOptions = {},
  ): Promise<WireClient> {
    const socket = new WebSocket(streamUrl, { perMessageDeflate: false });
    const client = new WireClient(socket, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(
      JSON.stringify({
        MessageSchemaVersion: '1.0',
        RequestId: randomUUID(),
        TokenValue: token,
        ClientId: randomUUID(),
        ClientVersion: '1.0.0.0',
      }),
    );
    return client;
  }

  /** The first received frame matching `predicate` not returned before; waits for it if needed. */
  async waitFor(
    predicate: (message: DecodedMessage) => boolean,
    what = 'a matching frame',
  ): Promise<DecodedMessage> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const found = this.frames.find((frame) => !this.taken.has(frame) && predicate(frame));
      if (found) {
        this.taken.add(found);
        return found;
      }
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`closed before ${what}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${WAIT_LIMIT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForAck(sequenceNumber: number): Promise<DecodedMessage> {
    return this.waitFor(
      (m) => m.messageType === MessageType.Acknowledge && ackedSequence(m) === sequenceNumber,
      `ack of ${sequenceNumber}`,
    );
  }

  waitForOutput(payloadType: number): Promise<DecodedMessage> {
    return this.waitFor(
      (m) => m.messageType === MessageType.Output && m.payloadType === payloadType,
      `output_stream_data of payload type ${payloadType}`,
    );
  }

  waitForChannelClosed(): Promise<{ message: DecodedMessage; output: string }> {
    return this.waitFor((m) => m.messageType === MessageType.ChannelClosed, 'channel_closed').then(
      (message) => ({ message, output: JSON.parse(message.payload.toString()).Output }),
    );
  }

  sendInput(sequenceNumber: number, payloadType: number, payload: Buffer): string {
    const messageId = randomUUID();
    this.sendRaw(
      encodeMessage({
        messageType: MessageType.Input,
        sequenceNumber,
        payloadType,
        payload,
        messageId,
      }),
    );
    return messageId;
  }

  /** The HandshakeResponse as seq 0 (or `sequenceNumber`): Success, or Failed for `failed`. */
  sendHandshakeResponse(request: DecodedMessage, failed: string[] = [], sequenceNumber = 0): void {
    const actions = JSON.parse(request.payload.toString()).RequestedClientActions as {
      ActionType: string;
    }[];
    const response = {
      ClientVersion: '1.0.0.0',
      ProcessedClientActions: actions.map(({ ActionType }) => ({
        ActionType,
        ActionStatus: failed.includes(ActionType) ? 2 : 1,
        ActionResult: null,
        Error: failed.includes(ActionType) ? `${ActionType} is not supported by this client` : '',
      })),
      Errors: null,
    };
    this.sendInput(
      sequenceNumber,
      PayloadType.HandshakeResponse,
      Buffer.from(JSON.stringify(response)),
    );
  }

  acknowledge(message: DecodedMessage): void {
    const content = {
      AcknowledgedMessageType: message.messageType,
      AcknowledgedMessageId: message.messageId,
      AcknowledgedMessageSequenceNumber: Number(message.sequenceNumber),
      IsSequentialMessage: true,
    };
    this.sendRaw(
      encodeMessage({
        messageType: MessageType.Acknowledge,
        flags: 3,
        payload: Buffer.from(JSON.stringify(content)),
      }),
    );
  }

  sendRaw(frame: Buffer): void {
    this.socket.send(frame, { binary: true });
  }

  close(): void {
    this.socket.terminate();
  }

  private onFrame(data: Buffer): void {
    const message = decodeMessage(data);
    this.frames.push(message);
    if (this.options.autoAck && message.messageType === MessageType.Output && message.digestValid) {
      this.acknowledge(message);
    }
    this.wake();
  }

  private wake(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

export function ackedSequence(message: DecodedMessage): number {
  return JSON.parse(message.payload.toString()).AcknowledgedMessageSequenceNumber;
}

/** One SSM API call over plain HTTP, with a placeholder Authorization header. */
export async function callSsm(
  endpoint: string,
  operation: string,
  input: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AmazonSSM.${operation}`,
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ssm/aws4_request',
    },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

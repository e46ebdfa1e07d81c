// One Session Manager session as the relay and the agent together present it to a client: tokens,
// the current websocket, the reliable channel, the handshake and the session plugin.

import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';

import {
  decodeMessage,
  encodeMessage,
  encodeShortChannelClosed,
  MessageType,
  type DecodedMessage,
} from '../../src/ssm/message.js';
import { Agent, type SessionSpec, type SessionType } from './agent.js';
import { newCounters, type SessionCounters } from './counters.js';
import { FaultLayer, type FaultSettings } from './faults.js';
import type { Logger } from './log.js';
import { ReliableChannel } from './reliability.js';
import type { TargetRuntime } from './runtime.js';

export type { SessionSpec, SessionType } from './agent.js';
export type SessionState = 'waiting' | 'connected' | 'disconnected' | 'closed';

export interface SessionSnapshot {
  sessionId: string;
  target: string;
  documentName: string;
  sessionType: SessionType;
  state: SessionState;
  handshakeComplete: boolean;
  clientVersion: string;
  /** The Output of the channel_closed that ended the session. */
  closedOutput?: string;
  counters: SessionCounters;
}

const ACK_DRAIN_MS = 2000;

export class Session {
  readonly counters = newCounters();
  state: SessionState = 'waiting';
  private socket: WebSocket | undefined;
  private readonly tokens = new Set<string>();
  private readonly faultLayer: FaultLayer;
  private readonly channel: ReliableChannel;
  private readonly agent: Agent;
  private publicationPaused = false;
  private resendOnResume = false;
  private finishing = false;
  private closedOutput: string | undefined;

  constructor(
    readonly spec: SessionSpec,
    private readonly faults: FaultSettings,
    runtime: TargetRuntime,
    private readonly log: Logger,
  ) {
    this.faultLayer = new FaultLayer(faults, {
      sessionId: spec.sessionId,
      toSocket: (frame) => this.toSocket(frame),
      dropSocket: () => this.dropWebsocket(),
      pauseFor: (ms) => this.pauseFor(ms),
      onDropped: (direction) => this.counters[direction === 'in' ? 'droppedIn' : 'droppedOut']++,
    });
    this.agent = new Agent(spec, {
      runtime,
      faults,
      counters: this.counters,
      send: (payloadType, payload) => this.channel.send(payloadType, payload),
      canSendMore: () => this.channel.canSendMore(),
      drainChannel: () => this.channel.drain(),
      finish: (output) => this.finish(output),
      log: (line) => log(`session ${this.id}: ${line}`),
    });
    this.channel = new ReliableChannel(this.agent, {
      transmit: (frame, kind, isOutput) => this.faultLayer.outgoing(frame, kind, isOutput),
      withholdAcks: () => faults.withholdAcks,
      resendTickMs: () => Math.max(1, faults.resendTickMs),
      outgoingWindow: () => Math.max(1, faults.outgoingWindow),
      counters: this.counters,
    });
    this.channel.onWritable = () => this.agent.onWritable();
  }

  get id(): string {
    return this.spec.sessionId;
  }

  /** A new single-use token for the open frame (StartSession, ResumeSession). */
  issueToken(): string {
    const token = randomBytes(300).toString('base64');
    this.tokens.add(token);
    return token;
  }

  /** True once per issued token. */
  consumeToken(token: unknown): boolean {
    if (typeof token !== 'string' || this.state === 'closed') return false;
    return this.tokens.delete(token);
  }

  attach(socket: WebSocket): void {
    const previous = this.socket;
    this.socket = socket;
    previous?.terminate();
    this.counters.connections++;
    const first = this.state === 'waiting';
    this.state = 'connected';
    socket.on('message', (data: Buffer, isBinary) => isBinary && this.onFrame(data));
    socket.on('close', () => this.onSocketClose(socket));
    this.log(`session ${this.id}: client connected (connection ${this.counters.connections})`);

    if (first) {
      this.resumeChannel();
      this.agent.begin();
      return;
    }
    this.resendOnResume = true;
    if (!this.publicationPaused) this.resumeChannel();
  }

  dropWebsocket(): void {
    this.log(`session ${this.id}: dropping the websocket`);
    this.socket?.terminate();
  }

  pausePublication(): void {
    if (this.publicationPaused || this.state === 'closed') return;
    this.publicationPaused = true;
    this.channel.pause();
    this.sendControl(MessageType.PausePublication);
  }

  startPublication(): void {
    if (!this.publicationPaused || this.state === 'closed') return;
    this.publicationPaused = false;
    this.sendControl(MessageType.StartPublication);
    if (this.socket) this.resumeChannel();
  }

  /** Relay-style end (TerminateSession API, tests): channel_closed now, no flush. */
  terminate(output = '', shortHeader = this.faults.shortChannelClosed): void {
    if (this.state === 'closed') return;
    this.stopWork();
    this.close(output, shortHeader);
  }

  /** Agent-style end: wait up to 2 s for outstanding acks, then channel_closed. */
  finish(output: string): void {
    if (this.finishing || this.state === 'closed') return;
    this.log(`session ${this.id}: finishing${output ? `: ${output.trim()}` : ''}`);
    this.stopWork();
    this.channel.waitForAcks(ACK_DRAIN_MS).then(() => {
      if (this.state !== 'closed') this.close(output, this.faults.shortChannelClosed);
    });
  }

  snapshot(): SessionSnapshot {
    const { sessionId, target, documentName, sessionType } = this.spec;
    return {
      sessionId,
      target,
      documentName,
      sessionType,
      state: this.state,
      handshakeComplete: this.agent.handshakeComplete,
      clientVersion: this.agent.clientVersion,
      closedOutput: this.closedOutput,
      counters: { ...this.counters },
    };
  }

  private onFrame(data: Buffer): void {
    if (this.state === 'closed') return;
    this.counters.framesIn++;
    let message: DecodedMessage;
    try {
      message = decodeMessage(data);
    } catch (error) {
      this.log(`session ${this.id}: unreadable frame ignored: ${(error as Error).message}`);
      return;
    }
    if (message.createdDate === 0) return;
    if (this.publicationPaused) {
      this.counters.droppedIn++;
      return;
    }
    if (message.messageType === MessageType.Input) this.onInput(message);
    else if (message.messageType === MessageType.Acknowledge) {
      this.faultLayer.incoming(() => this.channel.onAcknowledge(message));
    }
  }

  private onInput(message: DecodedMessage): void {
    if (!message.digestValid) this.counters.badDigestsIn++;
    const limit = this.faults.maxPayloadBytes;
    if (limit > 0 && message.payload.length > limit) {
      this.terminate(
        `input_stream_data payload of ${message.payload.length} bytes exceeds the emulator's ` +
          `maxPayloadBytes limit of ${limit} bytes`,
      );
      return;
    }
    this.faultLayer.incoming(() => this.channel.onInput(message));
  }

  private onSocketClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (this.state === 'closed') return;
    this.state = 'disconnected';
    this.channel.pause();
    this.log(`session ${this.id}: client socket closed; waiting for a reconnect`);
  }

  private resumeChannel(): void {
    const resend = this.resendOnResume;
    this.resendOnResume = false;
    this.channel.resume(resend);
  }

  private pauseFor(ms: number): void {
    this.pausePublication();
    setTimeout(() => this.startPublication(), ms).unref();
  }

  private toSocket(frame: Buffer): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.counters.framesOut++;
    this.socket.send(frame, { binary: true });
  }

  private sendControl(messageType: string): void {
    this.faultLayer.outgoing(encodeMessage({ messageType }), 'control');
  }

  private stopWork(): void {
    this.finishing = true;
    this.agent.stop();
  }

  private close(output: string, shortHeader: boolean): void {
    this.closedOutput = output;
    const payload = Buffer.from(
      JSON.stringify({
        MessageId: randomUUID(),
        CreatedDate: new Date().toISOString(),
        DestinationId: this.spec.target,
        SessionId: this.id,
        MessageType: MessageType.ChannelClosed,
        SchemaVersion: 1,
        Output: output,
      }),
    );
    const frame = shortHeader
      ? encodeShortChannelClosed(payload)
      : encodeMessage({ messageType: MessageType.ChannelClosed, payload });
    this.faultLayer.outgoing(frame, 'control');
    this.state = 'closed';
    this.channel.close();
    this.faultLayer.dispose();
    this.socket?.close(1000);
    this.log(`session ${this.id}: closed`);
  }
}

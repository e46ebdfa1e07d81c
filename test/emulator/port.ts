// The agent's basic Port plugin (notes §6.2, §6.3): one TCP connection to localhost:<portNumber>
// inside the target, dialled after the handshake; client Output refused (left unacknowledged)
// until it is connected; destination reads cut into Output messages of at most 1024 bytes.
// The dial starts on the HandshakeResponse and HandshakeComplete waits for it (bounded by
// `dialBeforeCompleteMs`): on AWS the relay's round trip outlasts the agent's localhost dial, so
// the client's first data finds the port connected; README.md says why.

import type { Duplex } from 'node:stream';

import { Flag, PayloadType, type DecodedMessage } from '../../src/ssm/message.js';
import { slices } from './chunks.js';
import { compareVersions } from './handshake.js';
import type { PluginContext, SessionPlugin } from './plugin.js';

export interface PortProperties {
  portNumber: string;
  type?: string;
  localPortNumber?: string;
}

const MUX_CLIENT_VERSION = '1.1.70';

export class PortPlugin implements SessionPlugin {
  private destination: Duplex | undefined;
  private everConnected = false;
  private dialing = false;
  /** The destination went away; dial again when the client sends its next Output. */
  private redialOnOutput = false;
  /** Output accepted while dialling again, written once connected. */
  private pendingWrites: Buffer[] = [];
  private pacing = false;
  private stopped = false;
  /** HandshakeComplete has gone out: destination bytes may flow, a dial error may end it. */
  private started = false;
  /** A dial made before HandshakeComplete failed; reported once it has gone out. */
  private dialError: string | undefined;

  constructor(
    private readonly context: PluginContext,
    private readonly properties: PortProperties,
  ) {}

  private get forwarding(): boolean {
    return this.properties.type === 'LocalPortForwarding';
  }

  /** Dials during the handshake; resolves once connected, refused, or after the bound. */
  prepare(clientVersion: string): Promise<void> {
    const limitMs = this.context.faults.dialBeforeCompleteMs;
    if (limitMs <= 0 || this.wantsMux(clientVersion)) return Promise.resolve();
    const dialled = this.dial();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      void dialled.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  start(clientVersion: string): void {
    if (this.wantsMux(clientVersion)) {
      this.context.finish(
        `ClientVersion ${clientVersion} asks the agent for a multiplexed (smux) port session, ` +
          `which the emulator does not speak; report a ClientVersion below ${MUX_CLIENT_VERSION}`,
      );
      return;
    }
    this.started = true;
    if (this.dialError !== undefined) this.context.finish(this.dialError);
    else if (this.destination) this.destination.resume();
    else if (!this.dialing) void this.dial();
  }

  ready(message: DecodedMessage): boolean {
    if (this.stopped) return true;
    if (!this.everConnected) return false;
    if (message.payloadType !== PayloadType.Output || this.redialOnOutput || this.dialing) {
      return true;
    }
    return this.destination !== undefined && !this.destination.writableNeedDrain;
  }

  deliver(message: DecodedMessage): void {
    if (this.stopped) return;
    if (message.payloadType === PayloadType.Output) {
      if (this.redialOnOutput && !this.dialing) void this.dial();
      if (this.dialing) this.pendingWrites.push(message.payload);
      else this.write(message.payload);
    } else if (message.payloadType === PayloadType.Flag && message.payload.length >= 4) {
      this.onFlag(message.payload.readUInt32BE(0));
    }
  }

  stop(): void {
    this.stopped = true;
    this.closeDestination();
  }

  onWritable(): void {
    if (this.started && !this.pacing) this.destination?.resume();
  }

  private wantsMux(clientVersion: string): boolean {
    return this.forwarding && compareVersions(clientVersion, MUX_CLIENT_VERSION) >= 0;
  }

  private write(payload: Buffer): void {
    this.context.counters.bytesToDestination += payload.length;
    this.destination?.write(payload);
  }

  private onFlag(flag: number): void {
    if (flag === Flag.TerminateSession) {
      this.context.log('TerminateSession flag received');
      this.context.finish('');
    } else if (flag === Flag.DisconnectToPort) {
      this.context.log('DisconnectToPort flag received: closing the destination connection');
      this.closeDestination();
      this.redialOnOutput = true;
    }
  }

  /** Resolves once the dial has succeeded or failed; never rejects. */
  private dial(): Promise<void> {
    this.dialing = true;
    return this.context.runtime.dial(this.properties.portNumber).then(
      (socket) => this.attach(socket),
      (error: Error) => {
        this.dialing = false;
        const output = `Unable to connect to specified port: ${error.message}`;
        if (this.started) this.context.finish(output);
        else this.dialError = output;
      },
    );
  }

  private attach(socket: Duplex): void {
    this.dialing = false;
    if (this.stopped) {
      socket.destroy();
      return;
    }
    // Before HandshakeComplete nothing is read: the destination's first bytes follow it.
    if (!this.started) socket.pause();
    this.destination = socket;
    this.everConnected = true;
    this.redialOnOutput = false;
    socket.on('data', (chunk: Buffer) => this.onDestinationData(chunk));
    socket.on('end', () => this.onDestinationGone(socket, ''));
    socket.on('error', (error) => this.onDestinationGone(socket, error.message));
    socket.on('drain', () => this.context.drainChannel());
    this.context.log(`connected to port ${this.properties.portNumber}`);
    this.pendingWrites.splice(0).forEach((payload) => this.write(payload));
    this.context.drainChannel();
  }

  private onDestinationData(chunk: Buffer): void {
    this.context.counters.bytesFromDestination += chunk.length;
    const parts = slices(chunk);
    if (this.context.faults.pacingMs > 0) {
      this.sendPaced(parts);
      return;
    }
    for (const part of parts) this.context.send(PayloadType.Output, part);
    if (!this.context.canSendMore()) this.destination?.pause();
  }

  /** The agent sleeps after each read; `pacingMs` does the same per 1024-byte message. */
  private sendPaced(parts: Buffer[]): void {
    const socket = this.destination;
    socket?.pause();
    this.pacing = true;
    const next = (index: number) => {
      if (this.stopped) return;
      if (index === parts.length) {
        this.pacing = false;
        if (this.context.canSendMore()) socket?.resume();
        return;
      }
      this.context.send(PayloadType.Output, parts[index]);
      setTimeout(() => next(index + 1), this.context.faults.pacingMs);
    };
    next(0);
  }

  /** EOF ends an SSH session; a forwarding session waits for client data to dial again. */
  private onDestinationGone(socket: Duplex, error: string): void {
    if (socket !== this.destination || this.stopped) return;
    this.closeDestination();
    if (this.forwarding) {
      this.redialOnOutput = true;
      return;
    }
    this.context.finish(error === '' ? '' : `Failed to read from port: ${error}`);
  }

  private closeDestination(): void {
    const socket = this.destination;
    this.destination = undefined;
    socket?.removeAllListeners('data');
    socket?.destroy();
  }
}

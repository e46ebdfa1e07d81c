// The agent's script for one session (notes §10): the handshake, then the session plugin (Port or
// NonInteractiveCommands). It consumes the client's stream messages in order, through the
// reliable channel, and decides when it is ready for them.

import { PayloadType, type DecodedMessage } from '../../src/ssm/message.js';
import { CommandPlugin } from './command.js';
import { compareVersions, Handshake } from './handshake.js';
import type { PluginContext, SessionPlugin } from './plugin.js';
import { PortPlugin, type PortProperties } from './port.js';
import type { Consumer } from './reliability.js';

export type SessionType = 'Port' | 'NonInteractiveCommands';

export interface SessionSpec {
  sessionId: string;
  target: string;
  documentName: string;
  sessionType: SessionType;
  /** Port: the document's properties. */
  properties?: PortProperties;
  /** NonInteractiveCommands: the command line. */
  command?: string;
  commandCwd?: string;
  separateOutputStream: boolean;
  kmsKeyId?: string;
  agentVersion: string;
}

const SEPARATE_STREAMS_CLIENT_VERSION = '1.2.295.0';

export class Agent implements Consumer {
  handshakeComplete = false;
  clientVersion = '';
  private handshake: Handshake | undefined;
  private readonly plugin: SessionPlugin;

  constructor(
    private readonly spec: SessionSpec,
    private readonly context: PluginContext,
  ) {
    this.plugin =
      spec.sessionType === 'Port'
        ? new PortPlugin(context, spec.properties!)
        : new CommandPlugin(
            context,
            spec.command ?? '',
            spec.separateOutputStream,
            spec.commandCwd,
          );
  }

  /** Runs when the client first connects. */
  begin(): void {
    const { spec, context } = this;
    if (context.faults.skipHandshake) {
      context.log('skipHandshake: no HandshakeRequest will be sent');
      return;
    }
    this.handshake = new Handshake({
      agentVersion: spec.agentVersion,
      sessionType: spec.sessionType,
      properties: spec.sessionType === 'Port' ? { ...spec.properties! } : null,
      kmsKeyId: spec.sessionType === 'NonInteractiveCommands' ? spec.kmsKeyId : undefined,
      timeoutMs: context.faults.handshakeTimeoutMs,
      send: (payloadType, payload) => context.send(payloadType, payload),
      fail: (output) => context.finish(output),
      beforeComplete: (clientVersion) => this.plugin.prepare?.(clientVersion) ?? Promise.resolve(),
      complete: (clientVersion) => this.onHandshakeComplete(clientVersion),
      customerMessage: (clientVersion) => this.customerMessage(clientVersion),
    });
    this.handshake.start();
  }

  ready(message: DecodedMessage): boolean {
    if (message.payloadType === PayloadType.HandshakeResponse || !this.handshakeComplete) {
      return true;
    }
    return this.plugin.ready(message);
  }

  deliver(message: DecodedMessage): void {
    if (message.payloadType === PayloadType.HandshakeResponse) {
      this.handshake?.onResponse(message.payload);
    } else if (this.handshakeComplete) {
      this.plugin.deliver(message);
    }
    // Before HandshakeComplete the agent acknowledges client data and throws it away.
  }

  onWritable(): void {
    this.plugin.onWritable();
  }

  stop(): void {
    this.handshake?.cancel();
    this.plugin.stop();
  }

  private onHandshakeComplete(clientVersion: string): void {
    this.clientVersion = clientVersion;
    this.handshakeComplete = true;
    this.context.log(`handshake complete (ClientVersion ${clientVersion || 'none'})`);
    this.plugin.start(clientVersion);
  }

  /** The agent warns clients too old to tell stdout from stderr (notes §7.2). */
  private customerMessage(clientVersion: string): string {
    const old = compareVersions(clientVersion, SEPARATE_STREAMS_CLIENT_VERSION) < 0;
    if (!this.spec.separateOutputStream || !old) return '';
    return (
      'This session streams stdout and stderr separately; session-manager-plugin ' +
      `${SEPARATE_STREAMS_CLIENT_VERSION} or later is needed to tell them apart.`
    );
  }
}

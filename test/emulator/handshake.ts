// The agent's side of the session handshake (notes §5): HandshakeRequest as seq 0, at most
// `timeoutMs` for the HandshakeResponse, any non-Success action fails the session, then
// HandshakeComplete. KMS encryption can be requested but is not emulated: a client that accepts
// it gets a session that ends with a clear channel_closed Output.

import { randomBytes } from 'node:crypto';

import { PayloadType } from '../../src/ssm/message.js';

export interface HandshakeOptions {
  agentVersion: string;
  sessionType: 'Port' | 'NonInteractiveCommands';
  /** The document's properties for Port; null for command sessions. */
  properties: Record<string, string> | null;
  kmsKeyId?: string;
  timeoutMs: number;
  send(payloadType: number, payload: Buffer): void;
  fail(output: string): void;
  complete(clientVersion: string): void;
  /** Work that HandshakeComplete waits for, given the client's version (the Port dial). */
  beforeComplete?(clientVersion: string): Promise<void>;
  /** CustomerMessage for HandshakeComplete, given the client's version. */
  customerMessage?(clientVersion: string): string;
}

interface ProcessedAction {
  ActionType?: string;
  ActionStatus?: number;
  Error?: string;
}

const SUCCESS = 1;

export class Handshake {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0n;
  private done = false;
  private cancelled = false;

  constructor(private readonly options: HandshakeOptions) {}

  start(): void {
    const { options } = this;
    const actions: object[] = [
      {
        ActionType: 'SessionType',
        ActionParameters: { SessionType: options.sessionType, Properties: options.properties },
      },
    ];
    if (options.kmsKeyId) {
      const Challenge = randomBytes(16).toString('base64');
      actions.push({
        ActionType: 'KMSEncryption',
        ActionParameters: { KMSKeyId: options.kmsKeyId, Challenge },
      });
    }
    const request = { AgentVersion: options.agentVersion, RequestedClientActions: actions };
    this.startedAt = process.hrtime.bigint();
    options.send(PayloadType.HandshakeRequest, Buffer.from(JSON.stringify(request)));
    this.timer = setTimeout(() => this.timeOut(), options.timeoutMs);
    this.timer.unref();
  }

  onResponse(payload: Buffer): void {
    if (this.done) return;
    this.finish();
    let response: { ClientVersion?: unknown; ProcessedClientActions?: unknown };
    try {
      response = JSON.parse(payload.toString('utf8'));
    } catch (error) {
      return this.options.fail(`Unmarshalling of HandshakeResponse message failed, ${error}`);
    }
    const actions = Array.isArray(response.ProcessedClientActions)
      ? (response.ProcessedClientActions as ProcessedAction[])
      : [];
    const failure = actions.map((action) => this.check(action)).find((text) => text !== '');
    if (failure) return this.options.fail(failure);

    const clientVersion = typeof response.ClientVersion === 'string' ? response.ClientVersion : '';
    const before = this.options.beforeComplete?.(clientVersion) ?? Promise.resolve();
    void before.then(() => this.sendComplete(clientVersion));
  }

  cancel(): void {
    this.cancelled = true;
    this.finish();
  }

  private sendComplete(clientVersion: string): void {
    if (this.cancelled) return;
    const complete = {
      HandshakeTimeToComplete: Number(process.hrtime.bigint() - this.startedAt),
      CustomerMessage: this.options.customerMessage?.(clientVersion) ?? '',
    };
    this.options.send(PayloadType.HandshakeComplete, Buffer.from(JSON.stringify(complete)));
    this.options.complete(clientVersion);
  }

  private check(action: ProcessedAction): string {
    if (action.ActionStatus !== SUCCESS) {
      return (
        `${action.ActionType} failed on client with status ${action.ActionStatus ?? 0} ` +
        `error: ${action.Error ?? ''}`
      );
    }
    if (action.ActionType === 'KMSEncryption') {
      return 'KMSEncryption is not emulated: the emulator cannot decrypt the data key';
    }
    return '';
  }

  private timeOut(): void {
    if (this.done) return;
    this.finish();
    this.options.fail(
      'Handshake timed out. Please ensure that you have the latest version of the session ' +
        'manager plugin.',
    );
  }

  private finish(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/** Compares dotted numeric versions as the agent does: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

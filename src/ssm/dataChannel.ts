// The reliable Session Manager data channel: one websocket at a time, per-direction sequence
// numbers, acknowledgements, resends, and reconnection through ResumeSession with all sequence
// state kept. Session types (port, command) are built on top of it.

import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';

import { ChannelError } from './errors.js';
import { Inbox } from './inbox.js';
import { silentLogger, type Logger } from './log.js';
import { decodeMessage, encodeMessage, MessageType, type DecodedMessage } from './message.js';
import { ackPayload, Outbox } from './outbox.js';
import type { SessionCredentials } from './sessionCredentials.js';
import { openDataSocket } from './socket.js';

/**
 * The version we report. It must stay below 1.1.70: from that version on the agent speaks smux
 * multiplexing on port-forwarding sessions, which this client does not implement (§6.4).
 */
export const CLIENT_VERSION = '1.0.0';

export interface DataChannelOptions {
  credentials: SessionCredentials;
  /** ResumeSession: fresh credentials for the same session, or undefined when it is gone. */
  resume?: (sessionId: string) => Promise<SessionCredentials | undefined>;
  onMessage: (message: DecodedMessage) => void;
  /** Whether the consumer can take this message now; if not, it stays unacknowledged. */
  isReady?: (message: DecodedMessage) => boolean;
  onDrain?: () => void;
  logger?: Logger;
  /** Most unacknowledged stream messages in flight (default 1024). */
  window?: number;
  /** Give up when no acknowledgement has arrived for this long (default 120 s). */
  giveUpMs?: number;
  connectTimeoutMs?: number;
  reconnectAttempts?: number;
}

export interface ChannelEnd {
  /** The `Output` text of `channel_closed`; empty for a normal end. */
  output: string;
  by: 'peer' | 'client';
}

export interface ChannelStats {
  framesIn: number;
  framesOut: number;
  digestFailures: number;
  duplicates: number;
  resends: number;
  reconnects: number;
}

const TICK_MS = 100;

export class DataChannel {
  readonly finished: Promise<ChannelEnd>;
  readonly stats: ChannelStats = {
    framesIn: 0,
    framesOut: 0,
    digestFailures: 0,
    duplicates: 0,
    resends: 0,
    reconnects: 0,
  };
  private readonly clientId = randomUUID();
  private readonly outbox: Outbox;
  private readonly inbox = new Inbox();
  private readonly log: Logger;
  private socket: WebSocket | undefined;
  private socketHeardFrom = false;
  /** Resumed sockets in a row that closed within seconds, before a single frame arrived. */
  private silentResumes = 0;
  private attachedAt = 0;
  private reconnecting = false;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private settle!: { resolve: (end: ChannelEnd) => void; reject: (error: Error) => void };

  constructor(private readonly options: DataChannelOptions) {
    this.log = options.logger ?? silentLogger;
    this.outbox = new Outbox({
      transmit: (frame) => this.transmit(frame),
      window: options.window ?? 1024,
      onDrain: () => options.onDrain?.(),
    });
    this.finished = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.finished.catch(() => undefined);
  }

  get sessionId(): string {
    return this.options.credentials.sessionId;
  }

  get windowFull(): boolean {
    return this.outbox.full;
  }

  get unacknowledged(): number {
    return this.outbox.size;
  }

  async connect(): Promise<void> {
    await this.attach(this.options.credentials);
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Queues one stream message; returns false when the window is full (wait for onDrain). */
  send(payloadType: number, payload: Buffer): boolean {
    if (this.ended) throw new ChannelError('CHANNEL_CLOSED', 'The data channel is already closed.');
    this.outbox.push(payloadType, payload);
    return !this.outbox.full;
  }

  /**
   * Resolves true as soon as everything sent has been acknowledged (at that acknowledgement, not
   * on a polling tick: the proxy's exit waits for it), false on timeout or end.
   */
  async drained(timeoutMs: number): Promise<boolean> {
    if (this.outbox.size === 0) return true;
    if (this.ended) return false;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.outbox.whenEmpty().then(() => true),
      this.finished.then(
        () => false,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return outcome;
  }

  close(): void {
    this.finish({ output: '', by: 'client' });
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.stop();
    this.settle.reject(error);
  }

  private async attach(credentials: SessionCredentials): Promise<void> {
    const socket = await openDataSocket({
      credentials,
      clientId: this.clientId,
      clientVersion: CLIENT_VERSION,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 15_000,
    });
    if (this.ended) {
      socket.close(1000);
      return;
    }
    this.socket = socket;
    this.socketHeardFrom = false;
    this.attachedAt = Date.now();
    socket.on('message', (data: Buffer) => this.receive(data));
    socket.on('close', (code: number) => this.onSocketClose(socket, code));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.log.debug(`data channel socket error ${error.code ?? ''}`.trim());
    });
  }

  private transmit(frame: Buffer): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== 1) return false;
    socket.send(frame);
    this.stats.framesOut++;
    return true;
  }

  private receive(data: Buffer): void {
    this.stats.framesIn++;
    this.socketHeardFrom = true;
    this.silentResumes = 0;
    let message: DecodedMessage;
    try {
      message = decodeMessage(data);
    } catch (error) {
      this.log.warn(`dropped an unreadable data channel frame: ${(error as Error).message}`);
      return;
    }
    if (message.trailingBytes > 0) {
      this.log.debug(`frame ${message.messageType} carries ${message.trailingBytes} extra bytes`);
    }
    this.dispatch(message);
  }

  private dispatch(message: DecodedMessage): void {
    switch (message.messageType) {
      case MessageType.Output:
        return this.onStreamMessage(message);
      case MessageType.Acknowledge:
        return this.onAcknowledge(message);
      case MessageType.ChannelClosed:
        return this.onChannelClosed(message);
      case MessageType.PausePublication:
        return this.outbox.setPaused(true);
      case MessageType.StartPublication:
        return this.outbox.setPaused(false);
      default:
        this.log.debug(`ignored a message of type "${message.messageType}"`);
    }
  }

  private onStreamMessage(message: DecodedMessage): void {
    if (!message.digestValid || message.createdDate === 0) {
      this.stats.digestFailures++;
      this.log.debug(`dropped output message ${message.sequenceNumber}: digest mismatch`);
      return;
    }
    this.outbox.setPaused(false);

    const ready = this.options.isReady?.(message) ?? true;
    const receipt = this.inbox.receive(message, ready);
    if (receipt.duplicate) this.stats.duplicates++;
    if (receipt.acknowledge) this.sendAck(message);
    for (const delivered of receipt.deliver) {
      if (this.ended) return;
      try {
        this.options.onMessage(delivered);
      } catch (error) {
        this.fail(error as Error);
        return;
      }
    }
  }

  private sendAck(message: DecodedMessage): void {
    const payload = ackPayload(message.messageType, message.messageId, message.sequenceNumber);
    this.transmit(encodeMessage({ messageType: MessageType.Acknowledge, flags: 3, payload }));
  }

  private onAcknowledge(message: DecodedMessage): void {
    this.outbox.setPaused(false);
    let sequence: bigint;
    try {
      const ack = JSON.parse(message.payload.toString('utf8')) as Record<string, unknown>;
      sequence = BigInt(ack.AcknowledgedMessageSequenceNumber as number);
    } catch {
      this.log.debug('ignored an acknowledgement without a readable sequence number');
      return;
    }
    this.outbox.acknowledge(sequence);
  }

  private onChannelClosed(message: DecodedMessage): void {
    let output = '';
    try {
      const body = JSON.parse(message.payload.toString('utf8')) as { Output?: unknown };
      if (typeof body.Output === 'string') output = body.Output;
    } catch {
      output = message.payload.toString('utf8');
    }
    this.finish({ output, by: 'peer' });
  }

  private onSocketClose(socket: WebSocket, code: number): void {
    if (socket !== this.socket || this.ended) return;
    this.socket = undefined;
    if (!this.socketHeardFrom && this.stats.reconnects === 0 && this.stats.framesIn === 0) {
      this.fail(tokenRejected(this.sessionId, code));
      return;
    }
    const silent = !this.socketHeardFrom && Date.now() - this.attachedAt < 5000;
    this.silentResumes = silent ? this.silentResumes + 1 : 0;
    if (this.silentResumes >= (this.options.reconnectAttempts ?? 5)) {
      this.fail(
        new ChannelError(
          'RECONNECT_FAILED',
          `The data channel of session ${this.sessionId} kept closing right after each ` +
            `resume; giving up.`,
        ),
      );
      return;
    }
    this.log.info(`data channel socket closed (code ${code}); resuming session ${this.sessionId}`);
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      await this.reconnectWithBackoff();
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.reconnecting = false;
    }
  }

  private async reconnectWithBackoff(): Promise<void> {
    const resume = this.options.resume;
    if (!resume) {
      throw new ChannelError(
        'RECONNECT_FAILED',
        `The data channel of session ${this.sessionId} dropped and cannot be resumed.`,
      );
    }
    const attempts = this.options.reconnectAttempts ?? 5;
    let delay = 100 + Math.floor(Math.random() * 100);
    for (let attempt = 1; attempt <= attempts && !this.ended; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = delay > 5000 ? 100 : delay * 2;
      if (await this.tryResume(resume, attempt)) return;
    }
    if (this.ended) return;
    throw new ChannelError(
      'RECONNECT_FAILED',
      `The data channel of session ${this.sessionId} dropped and ${attempts} attempts to ` +
        `resume it failed.`,
    );
  }

  private async tryResume(
    resume: (sessionId: string) => Promise<SessionCredentials | undefined>,
    attempt: number,
  ): Promise<boolean> {
    const credentials = await resume(this.sessionId);
    if (!credentials) {
      throw new ChannelError(
        'SESSION_EXPIRED',
        `Session ${this.sessionId} has ended on the Session Manager side (idle timeout or ` +
          `terminated); start a new one.`,
      );
    }
    try {
      await this.attach(credentials);
    } catch (error) {
      this.log.info(`resume attempt ${attempt} failed: ${(error as Error).message}`);
      return false;
    }
    this.stats.reconnects++;
    this.outbox.resendAll();
    return true;
  }

  private tick(): void {
    if (this.ended || !this.socket) return;
    this.outbox.tick();
    this.stats.resends = this.outbox.resendCount;
    this.stats.duplicates = this.inbox.duplicates;
    const giveUpMs = this.options.giveUpMs ?? 120_000;
    if (this.outbox.stalledForMs() > giveUpMs) {
      this.fail(
        new ChannelError(
          'PEER_NOT_ACKNOWLEDGING',
          `Session Manager stopped acknowledging data on session ${this.sessionId} for ` +
            `${Math.round(giveUpMs / 1000)} s; the connection is lost. Reconnect to start a ` +
            `new session.`,
        ),
      );
    }
  }

  private finish(end: ChannelEnd): void {
    if (this.ended) return;
    this.stop();
    this.settle.resolve(end);
  }

  private stop(): void {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.stats.resends = this.outbox.resendCount;
    this.stats.duplicates = this.inbox.duplicates;
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= 1) socket.close(1000);
  }
}

function tokenRejected(sessionId: string, code: number): ChannelError {
  return new ChannelError(
    'TOKEN_REJECTED',
    `Session Manager closed the data channel of session ${sessionId} right after it opened ` +
      `(websocket close code ${code}): the session token was refused or had expired. ` +
      'Tokens are single-use and short-lived; start a new session.',
  );
}

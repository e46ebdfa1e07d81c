// The agent side of the data channel's reliability layer (notes §4.3, §4.4, §4.6, agent column):
// output_stream_data numbered from 0 (SYN on 0), every message kept until acknowledged, the
// oldest resent on the RFC 6298 retransmission timeout (send time updated on resend, as the agent
// does), client messages acknowledged in order and ahead of order, duplicates re-acknowledged,
// and no acknowledgement while the consumer is not ready. Where the emulator departs from the
// agent (window, quick resend of the next oldest, Karn's rule, backoff), README.md says why.

import { encodeMessage, MessageType, type DecodedMessage } from '../../src/ssm/message.js';
import type { SessionCounters } from './counters.js';

export interface Consumer {
  /** False keeps the message unacknowledged and unprocessed; the client will resend it. */
  ready(message: DecodedMessage): boolean;
  deliver(message: DecodedMessage): void;
}

export interface ChannelHooks {
  transmit(frame: Buffer, kind: 'stream' | 'resend' | 'ack', isOutputData: boolean): void;
  withholdAcks(): boolean;
  /** How often the oldest unacknowledged message is looked at (the agent: 100 ms). */
  resendTickMs(): number;
  /** Unacknowledged messages at which the plugin should stop reading its source. */
  outgoingWindow(): number;
  counters: SessionCounters;
}

interface Pending {
  frame: Buffer;
  lastSent: number;
  sent: boolean;
  /** Sent more than once: its ack cannot tell which copy arrived, so it is no RTT sample. */
  resent: boolean;
  isOutputData: boolean;
}

const MAX_RTO_MS = 1000;
const CLOCK_GRANULARITY_MS = 10;
/** The agent buffers 100 000 messages each way; beyond that it would lose data. */
const INCOMING_CAPACITY = 100_000;
const OUTPUT_PAYLOAD = 1;

export class ReliableChannel {
  private nextSequence = 0n;
  private readonly unacked = new Map<bigint, Pending>();
  private srtt = 100;
  private rttvar = 0;
  private rto = 200;
  private expected = 0n;
  private readonly ahead = new Map<bigint, DecodedMessage>();
  private paused = true;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private drainWaiters: (() => void)[] = [];
  /** canSendMore() said no; call onWritable once it says yes. */
  private writableWanted = false;
  /** Called when the channel can take more stream messages again. */
  onWritable: () => void = () => {};

  constructor(
    private readonly consumer: Consumer,
    private readonly hooks: ChannelHooks,
  ) {
    this.scheduleResend();
  }

  get unackedCount(): number {
    return this.unacked.size;
  }

  /**
   * The agent has no flow control, but its 1 ms sleep per message keeps little in flight; without
   * that sleep a window does the same job (see `outgoingWindow`).
   */
  canSendMore(): boolean {
    const open = !this.paused && !this.closed && this.unacked.size < this.hooks.outgoingWindow();
    if (!open) this.writableWanted = true;
    return open;
  }

  send(payloadType: number, payload: Buffer): void {
    if (this.closed || payload.length === 0) return;
    const sequenceNumber = this.nextSequence++;
    const frame = encodeMessage({
      messageType: MessageType.Output,
      sequenceNumber,
      flags: sequenceNumber === 0n ? 1 : 0,
      payloadType,
      payload,
    });
    const pending = {
      frame,
      lastSent: 0,
      sent: false,
      resent: false,
      isOutputData: payloadType === OUTPUT_PAYLOAD,
    };
    this.unacked.set(sequenceNumber, pending);
    if (!this.paused) this.transmit(pending, 'stream');
  }

  onInput(message: DecodedMessage): void {
    if (this.closed) return;
    const sequence = message.sequenceNumber;
    if (sequence < this.expected || this.ahead.has(sequence)) {
      this.hooks.counters.duplicatesReacked++;
      this.acknowledge(message);
    } else if (sequence > this.expected) {
      if (this.ahead.size >= INCOMING_CAPACITY) return;
      this.ahead.set(sequence, message);
      this.acknowledge(message);
    } else if (this.consumer.ready(message)) {
      this.acknowledge(message);
      this.expected++;
      this.consumer.deliver(message);
      this.drain();
    } else {
      this.hooks.counters.refusedNotReady++;
    }
  }

  /** Processes buffered messages that the consumer refused while it was not ready. */
  drain(): void {
    let next = this.ahead.get(this.expected);
    while (!this.closed && next && this.consumer.ready(next)) {
      this.ahead.delete(this.expected);
      this.expected++;
      this.consumer.deliver(next);
      next = this.ahead.get(this.expected);
    }
  }

  onAcknowledge(message: DecodedMessage): void {
    let sequence: bigint;
    try {
      const content = JSON.parse(message.payload.toString('utf8'));
      sequence = BigInt(content.AcknowledgedMessageSequenceNumber);
    } catch {
      return;
    }
    this.hooks.counters.acksReceived++;
    const pending = this.unacked.get(sequence);
    if (!pending) return;
    const wasOldest = this.unacked.keys().next().value === sequence;
    if (pending.sent && !pending.resent) this.updateTimeout(Date.now() - pending.lastSent);
    this.unacked.delete(sequence);
    if (this.unacked.size === 0) this.wakeDrainWaiters();
    if (wasOldest) this.resendLostOldest(pending.lastSent);
    this.notifyWritable();
  }

  /** The client cannot be reached: queue new messages, stop resending. */
  pause(): void {
    this.paused = true;
  }

  /**
   * The client can be reached again. Messages never sent go out now; with `resendSent`
   * (a new socket) so do those sent into the old one, as a relay that kept them would deliver.
   */
  resume(resendSent: boolean): void {
    if (this.closed) return;
    this.paused = false;
    for (const pending of this.unacked.values()) {
      if (!pending.sent) this.transmit(pending, 'stream');
      else if (resendSent) this.transmit(pending, 'resend');
    }
    this.writableWanted = true;
    this.notifyWritable();
  }

  /** Resolves once every sent message is acknowledged, or after `timeoutMs`. */
  waitForAcks(timeoutMs: number): Promise<void> {
    if (this.unacked.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.wakeDrainWaiters();
  }

  private notifyWritable(): void {
    if (!this.writableWanted || !this.canSendMore()) return;
    this.writableWanted = false;
    this.onWritable();
  }

  private transmit(pending: Pending, kind: 'stream' | 'resend'): void {
    if (kind === 'resend') {
      this.hooks.counters.resends++;
      pending.resent = true;
    }
    pending.sent = true;
    pending.lastSent = Date.now();
    this.hooks.transmit(pending.frame, kind, pending.isOutputData);
  }

  private scheduleResend(): void {
    this.timer = setTimeout(() => {
      this.resendOldest();
      if (!this.closed) this.scheduleResend();
    }, this.hooks.resendTickMs());
    this.timer.unref();
  }

  /**
   * Between ticks: the client has just acknowledged a message last sent at `ackedSentAt`; if the
   * new oldest went out before that and is past the RTO, it is lost, so send it now. A run of
   * messages the client dropped (its buffer full behind a gap) then costs one round trip each
   * instead of one tick each; the agent, pacing its output, never builds such a run.
   */
  private resendLostOldest(ackedSentAt: number): void {
    const oldest = this.unacked.values().next().value;
    if (!oldest || this.paused || this.closed || !oldest.sent) return;
    if (oldest.lastSent < ackedSentAt && Date.now() - oldest.lastSent > this.rto) {
      this.transmit(oldest, 'resend');
    }
  }

  private resendOldest(): void {
    if (this.paused || this.closed) return;
    const oldest = this.unacked.values().next().value;
    if (!oldest || Date.now() - oldest.lastSent <= this.rto) return;
    this.transmit(oldest, 'resend');
    this.rto = Math.min(MAX_RTO_MS, 2 * this.rto);
  }

  private acknowledge(message: DecodedMessage): void {
    if (this.hooks.withholdAcks() || this.paused) return;
    const content = {
      AcknowledgedMessageType: message.messageType,
      AcknowledgedMessageId: message.messageId,
      AcknowledgedMessageSequenceNumber: Number(message.sequenceNumber),
      IsSequentialMessage: true,
    };
    const frame = encodeMessage({
      messageType: MessageType.Acknowledge,
      flags: 3,
      payload: Buffer.from(JSON.stringify(content)),
    });
    this.hooks.counters.acksSent++;
    this.hooks.transmit(frame, 'ack', false);
  }

  /** RFC 6298 with the agent's constants: SRTT 100 ms, RTTVAR 0, RTO capped at 1 s. */
  private updateTimeout(sampleMs: number): void {
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - sampleMs);
    this.srtt = 0.875 * this.srtt + 0.125 * sampleMs;
    this.rto = Math.min(MAX_RTO_MS, this.srtt + Math.max(CLOCK_GRANULARITY_MS, 4 * this.rttvar));
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }
}

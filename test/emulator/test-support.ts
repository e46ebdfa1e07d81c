// Shared steps for the emulator's own tests: start a session over plain HTTP, open the data
// channel with raw frames, and answer the handshake.

import assert from 'node:assert/strict';

import { MessageType, PayloadType, type DecodedMessage } from '../../src/ssm/message.js';
import { defaultFaults } from './faults.js';
import type { Emulator } from './index.js';
import { callSsm, WireClient, type WireClientOptions } from './wire-client.js';

export interface OpenedSession {
  sessionId: string;
  streamUrl: string;
  client: WireClient;
  handshakeRequest: DecodedMessage;
}

export async function startSession(
  emulator: Emulator,
  input: { Target: string; DocumentName: string; Parameters?: Record<string, string[]> },
  options: WireClientOptions = {},
): Promise<OpenedSession> {
  const { status, body } = await callSsm(emulator.endpoint, 'StartSession', input);
  assert.equal(status, 200, `StartSession failed: ${JSON.stringify(body)}`);
  const sessionId = body.SessionId as string;
  const streamUrl = body.StreamUrl as string;
  const client = await WireClient.open(streamUrl, body.TokenValue, options);
  const handshakeRequest = await client.waitForOutput(PayloadType.HandshakeRequest);
  return { sessionId, streamUrl, client, handshakeRequest };
}

/** Acks the HandshakeRequest, answers it with Success, and acks HandshakeComplete. */
export async function completeHandshake(session: OpenedSession): Promise<DecodedMessage> {
  const { client, handshakeRequest } = session;
  client.acknowledge(handshakeRequest);
  client.sendHandshakeResponse(handshakeRequest);
  await client.waitForAck(0);
  const complete = await client.waitForOutput(PayloadType.HandshakeComplete);
  client.acknowledge(complete);
  return complete;
}

export async function startReadySession(
  emulator: Emulator,
  input: { Target: string; DocumentName: string; Parameters?: Record<string, string[]> },
  options: WireClientOptions = {},
): Promise<OpenedSession> {
  const session = await startSession(emulator, input, options);
  await completeHandshake(session);
  return session;
}

/** Every Output-family payload of the given type, in sequence order, joined. */
export function joinedPayloads(client: WireClient, payloadType: number): Buffer {
  const bySequence = new Map<bigint, Buffer>();
  for (const frame of client.frames) {
    if (frame.messageType === MessageType.Output && frame.payloadType === payloadType) {
      bySequence.set(frame.sequenceNumber, frame.payload);
    }
  }
  const sequences = [...bySequence.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.concat(sequences.map((sequence) => bySequence.get(sequence)!));
}

export function snapshotOf(emulator: Emulator, sessionId: string) {
  const snapshot = emulator.sessions().find((session) => session.sessionId === sessionId);
  assert.ok(snapshot, `no session ${sessionId}`);
  return snapshot;
}

export function resetFaults(emulator: Emulator): void {
  Object.assign(emulator.faults, defaultFaults);
}

/** Polls `condition` every 20 ms; fails after 10 s (a hang guard, not a speed check). */
export async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

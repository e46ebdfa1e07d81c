// The binary message of the Session Manager data channel, both directions, byte for byte as
// described in shared/docs/ssm-data-channel.md §2. All integers are big-endian.

import { createHash, randomUUID } from 'node:crypto';

export const MessageType = {
  Input: 'input_stream_data',
  Output: 'output_stream_data',
  Acknowledge: 'acknowledge',
  ChannelClosed: 'channel_closed',
  StartPublication: 'start_publication',
  PausePublication: 'pause_publication',
} as const;

export const PayloadType = {
  None: 0,
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;

export const Flag = {
  DisconnectToPort: 1,
  TerminateSession: 2,
  ConnectToPortError: 3,
} as const;

/** HeaderLength as the plugin and the agent write it: bytes 0..115, PayloadLength excluded. */
export const HEADER_LENGTH = 116;
/** The relay's short header on some `channel_closed` frames: no PayloadType field. */
export const SHORT_HEADER_LENGTH = 112;

const TYPE_OFFSET = 4;
const TYPE_SIZE = 32;
const SCHEMA_OFFSET = 36;
const CREATED_OFFSET = 40;
const SEQUENCE_OFFSET = 48;
const FLAGS_OFFSET = 56;
const ID_OFFSET = 64;
const DIGEST_OFFSET = 80;
const PAYLOAD_TYPE_OFFSET = 112;

export interface AgentMessage {
  messageType: string;
  schemaVersion: number;
  /** Unix epoch milliseconds. */
  createdDate: number;
  sequenceNumber: bigint;
  flags: bigint;
  /** Canonical lower-case UUID, un-swapped. */
  messageId: string;
  payloadType: number;
  payload: Buffer;
}

export interface DecodedMessage extends AgentMessage {
  headerLength: number;
  /** False when the digest in the header does not match the payload. */
  digestValid: boolean;
  /** Bytes after the declared payload; the official parsers would have taken them as payload. */
  trailingBytes: number;
}

export class MessageFormatError extends Error {
  override name = 'MessageFormatError';
}

export interface MessageFields {
  messageType: string;
  sequenceNumber?: bigint | number;
  flags?: bigint | number;
  payloadType?: number;
  payload?: Buffer;
  messageId?: string;
  createdDate?: number;
  schemaVersion?: number;
}

export function encodeMessage(fields: MessageFields): Buffer {
  const payload = fields.payload ?? Buffer.alloc(0);
  const frame = Buffer.alloc(HEADER_LENGTH + 4 + payload.length);

  frame.writeUInt32BE(HEADER_LENGTH, 0);
  writePaddedType(frame, fields.messageType);
  frame.writeUInt32BE(fields.schemaVersion ?? 1, SCHEMA_OFFSET);
  frame.writeBigUInt64BE(BigInt(fields.createdDate ?? Date.now()), CREATED_OFFSET);
  frame.writeBigInt64BE(BigInt(fields.sequenceNumber ?? 0), SEQUENCE_OFFSET);
  frame.writeBigUInt64BE(BigInt(fields.flags ?? 0), FLAGS_OFFSET);
  uuidToWire(fields.messageId ?? randomUUID()).copy(frame, ID_OFFSET);
  sha256(payload).copy(frame, DIGEST_OFFSET);
  frame.writeUInt32BE(fields.payloadType ?? PayloadType.None, PAYLOAD_TYPE_OFFSET);
  frame.writeUInt32BE(payload.length, HEADER_LENGTH);
  payload.copy(frame, HEADER_LENGTH + 4);

  return frame;
}

/**
 * Reads one frame. PayloadLength sits at HeaderLength, the payload right after it; PayloadType
 * exists only when the header is at least 116 bytes long (the relay's 112-byte variant lacks it).
 */
export function decodeMessage(frame: Buffer): DecodedMessage {
  if (frame.length < SHORT_HEADER_LENGTH + 4) {
    throw new MessageFormatError(`frame of ${frame.length} bytes is shorter than any header`);
  }
  const headerLength = frame.readUInt32BE(0);
  if (headerLength < SHORT_HEADER_LENGTH || headerLength + 4 > frame.length) {
    throw new MessageFormatError(
      `header length ${headerLength} does not fit a ${frame.length}-byte frame`,
    );
  }
  const payloadLength = frame.readUInt32BE(headerLength);
  const payloadStart = headerLength + 4;
  if (payloadStart + payloadLength > frame.length) {
    throw new MessageFormatError(`payload length ${payloadLength} runs past the end of the frame`);
  }

  const messageType = readPaddedType(frame);
  if (messageType === '') throw new MessageFormatError('message type is empty');
  const createdDate = Number(frame.readBigUInt64BE(CREATED_OFFSET));
  const payload = frame.subarray(payloadStart, payloadStart + payloadLength);
  const digest = frame.subarray(DIGEST_OFFSET, DIGEST_OFFSET + 32);

  return {
    headerLength,
    messageType,
    schemaVersion: frame.readUInt32BE(SCHEMA_OFFSET),
    createdDate,
    sequenceNumber: frame.readBigInt64BE(SEQUENCE_OFFSET),
    flags: frame.readBigUInt64BE(FLAGS_OFFSET),
    messageId: uuidFromWire(frame.subarray(ID_OFFSET, ID_OFFSET + 16)),
    payloadType: headerLength >= HEADER_LENGTH ? frame.readUInt32BE(PAYLOAD_TYPE_OFFSET) : 0,
    payload,
    digestValid: sha256(payload).equals(digest),
    trailingBytes: frame.length - payloadStart - payloadLength,
  };
}

/** Encodes the relay's `channel_closed` with the short 112-byte header and NUL padding. */
export function encodeShortChannelClosed(payload: Buffer, createdDate = Date.now()): Buffer {
  const frame = Buffer.alloc(SHORT_HEADER_LENGTH + 4 + payload.length);
  frame.writeUInt32BE(SHORT_HEADER_LENGTH, 0);
  frame.write(MessageType.ChannelClosed, TYPE_OFFSET, 'ascii');
  frame.writeUInt32BE(1, SCHEMA_OFFSET);
  frame.writeBigUInt64BE(BigInt(createdDate), CREATED_OFFSET);
  uuidToWire(randomUUID()).copy(frame, ID_OFFSET);
  sha256(payload).copy(frame, DIGEST_OFFSET);
  frame.writeUInt32BE(payload.length, SHORT_HEADER_LENGTH);
  payload.copy(frame, SHORT_HEADER_LENGTH + 4);
  return frame;
}

/** The 16 wire bytes of a UUID: its bytes 8..15 first, then 0..7. */
export function uuidToWire(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new MessageFormatError('message id is not a UUID');
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([bytes.subarray(8, 16), bytes.subarray(0, 8)]);
}

export function uuidFromWire(wire: Buffer): string {
  const hex = Buffer.concat([wire.subarray(8, 16), wire.subarray(0, 8)]).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function writePaddedType(frame: Buffer, messageType: string): void {
  if (
    messageType.length === 0 ||
    messageType.length > TYPE_SIZE ||
    !/^[\x21-\x7e]+$/.test(messageType)
  ) {
    throw new MessageFormatError(`message type "${messageType}" cannot be encoded`);
  }
  frame.fill(0x20, TYPE_OFFSET, TYPE_OFFSET + TYPE_SIZE);
  frame.write(messageType, TYPE_OFFSET, 'ascii');
}

function readPaddedType(frame: Buffer): string {
  const raw = frame.subarray(TYPE_OFFSET, TYPE_OFFSET + TYPE_SIZE).toString('latin1');
  return raw.replace(/^[\s\0]+|[\s\0]+$/g, '');
}

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';

import {
  decodeMessage,
  encodeMessage,
  encodeShortChannelClosed,
  MessageFormatError,
  PayloadType,
} from '../src/ssm/message.js';

/** Turns a hex dump (offset column, hex pairs, trailing comments) into bytes. */
function fromDump(dump: string): Buffer {
  const hex = dump
    .trim()
    .split('\n')
    .map((line) => line.trim().slice(6, 6 + 16 * 3))
    .join(' ')
    .split(/\s+/)
    .filter((pair) => /^[0-9a-f]{2}$/.test(pair))
    .join('');
  return Buffer.from(hex, 'hex');
}

const exampleA = fromDump(`
0000  00 00 00 74 69 6e 70 75 74 5f 73 74 72 65 61 6d   HL=116, "input_stream
0010  5f 64 61 74 61 20 20 20 20 20 20 20 20 20 20 20   _data" + spaces
0020  20 20 20 20 00 00 00 01 00 00 01 8b cf e5 68 00   ...., ver=1, CreatedDate
0030  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   seq=0, flags=0
0040  a1 c2 5d 6e 7f 80 9a 1b 3f 2b 8c 1e 7d 4a 4e 9b   MessageId
0050  d5 3c a1 ea 7d ce 87 c1 14 32 05 2a 85 50 ed 26   SHA-256 of payload ...
0060  15 cf 71 5c a8 43 c8 97 10 ed 83 32 5b 69 1c ba   ... (32 bytes)
0070  00 00 00 03 00 00 00 15 7b 22 63 6f 6c 73 22 3a   PayloadType=3, PayloadLength=21
0080  38 30 2c 22 72 6f 77 73 22 3a 32 34 7d            80,"rows":24}
`);

const ackPayload =
  '{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":' +
  '"0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f","AcknowledgedMessageSequenceNumber":5,' +
  '"IsSequentialMessage":true}';

const exampleBHeader = fromDump(`
0000  00 00 00 74 61 63 6b 6e 6f 77 6c 65 64 67 65 20
0010  20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20
0020  20 20 20 20 00 00 00 01 00 00 01 8b cf e5 68 7b
0030  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03
0040  9d 7c 6b 5a 49 38 27 16 5e 4d 3c 2b 1a 09 4f 8e
0050  0d 14 77 55 fe 6e 70 51 03 f3 df c2 e7 1e 16 7e
0060  88 a1 8e 18 a8 f6 39 a6 94 82 07 33 e7 8d 48 ec
0070  00 00 00 00 00 00 00 b0
`);
const exampleB = Buffer.concat([exampleBHeader, Buffer.from(ackPayload)]);

const exampleC = fromDump(`
0000  00 00 00 74 69 6e 70 75 74 5f 73 74 72 65 61 6d
0010  5f 64 61 74 61 20 20 20 20 20 20 20 20 20 20 20
0020  20 20 20 20 00 00 00 01 00 00 01 8b cf e5 7b 88
0030  00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 00
0040  8d 6e 0f 1a 2b 3c 4d 5e 9b 1d e0 c4 2f 3a 4b 5c
0050  43 3e bf 5b c0 3d ff a3 85 36 67 32 07 a2 12 81
0060  61 2c ef 5f aa 9b c7 a4 d5 b9 be 2f db 12 cf 1a
0070  00 00 00 0a 00 00 00 04 00 00 00 02
`);

test('encodes worked example (a), the terminal-size message, byte for byte', () => {
  assert.equal(exampleA.length, 141);
  const frame = encodeMessage({
    messageType: 'input_stream_data',
    sequenceNumber: 0,
    flags: 0,
    messageId: '3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f809a1b',
    createdDate: 1700000000000,
    payloadType: PayloadType.Size,
    payload: Buffer.from('{"cols":80,"rows":24}'),
  });
  assert.equal(frame.toString('hex'), exampleA.toString('hex'));
});

test('encodes worked example (b), an acknowledgement, byte for byte', () => {
  assert.equal(Buffer.byteLength(ackPayload), 176);
  const frame = encodeMessage({
    messageType: 'acknowledge',
    sequenceNumber: 0,
    flags: 3,
    messageId: '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716',
    createdDate: 1700000000123,
    payloadType: PayloadType.None,
    payload: Buffer.from(ackPayload),
  });
  assert.equal(frame.toString('hex'), exampleB.toString('hex'));
});

test('encodes worked example (c), the TerminateSession flag, byte for byte', () => {
  assert.equal(exampleC.length, 124);
  const frame = encodeMessage({
    messageType: 'input_stream_data',
    sequenceNumber: 7,
    messageId: '9b1de0c4-2f3a-4b5c-8d6e-0f1a2b3c4d5e',
    createdDate: 1700000005000,
    payloadType: PayloadType.Flag,
    payload: Buffer.from([0, 0, 0, 2]),
  });
  assert.equal(frame.toString('hex'), exampleC.toString('hex'));
});

test('decodes the worked examples into their fields with valid digests', () => {
  const a = decodeMessage(exampleA);
  assert.equal(a.messageType, 'input_stream_data');
  assert.equal(a.messageId, '3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f809a1b');
  assert.equal(a.createdDate, 1700000000000);
  assert.equal(a.payloadType, PayloadType.Size);
  assert.equal(a.payload.toString(), '{"cols":80,"rows":24}');
  assert.equal(a.digestValid, true);

  const b = decodeMessage(exampleB);
  assert.equal(b.messageType, 'acknowledge');
  assert.equal(b.flags, 3n);
  assert.equal(b.messageId, '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716');
  assert.deepEqual(JSON.parse(b.payload.toString()).AcknowledgedMessageSequenceNumber, 5);

  const c = decodeMessage(exampleC);
  assert.equal(c.sequenceNumber, 7n);
  assert.equal(c.payloadType, PayloadType.Flag);
  assert.equal(c.payload.readUInt32BE(0), 2);
  assert.equal(c.digestValid, true);
});

test('reads NUL-padded message types and the 112-byte channel_closed header', () => {
  const payload = Buffer.from('{"MessageType":"channel_closed","Output":"bye"}');
  const decoded = decodeMessage(encodeShortChannelClosed(payload));
  assert.equal(decoded.headerLength, 112);
  assert.equal(decoded.messageType, 'channel_closed');
  assert.equal(decoded.payloadType, 0);
  assert.equal(decoded.payload.toString(), payload.toString());
  assert.equal(decoded.digestValid, true);

  const nulPadded = Buffer.from(exampleA);
  nulPadded.fill(0, 4 + 'input_stream_data'.length, 36);
  assert.equal(decodeMessage(nulPadded).messageType, 'input_stream_data');
});

test('flags a corrupted digest and counts trailing bytes instead of taking them as payload', () => {
  const corrupt = Buffer.from(exampleA);
  corrupt[0x50] ^= 0xff;
  assert.equal(decodeMessage(corrupt).digestValid, false);

  const trailing = decodeMessage(Buffer.concat([exampleA, Buffer.from('junk')]));
  assert.equal(trailing.payload.toString(), '{"cols":80,"rows":24}');
  assert.equal(trailing.trailingBytes, 4);
  assert.equal(trailing.digestValid, true);
});

test('rejects frames that cannot hold their own header or payload', () => {
  assert.throws(() => decodeMessage(Buffer.alloc(50)), MessageFormatError);
  const badLength = Buffer.from(exampleA);
  badLength.writeUInt32BE(5000, 116);
  assert.throws(() => decodeMessage(badLength), /runs past the end/);
  const badHeader = Buffer.from(exampleA);
  badHeader.writeUInt32BE(500, 0);
  assert.throws(() => decodeMessage(badHeader), /does not fit/);
  const empty = Buffer.from(exampleA);
  empty.fill(0x20, 4, 36);
  assert.throws(() => decodeMessage(empty), /empty/);
});

test('round-trips 2000 random messages through encode and decode', () => {
  const types = ['input_stream_data', 'output_stream_data', 'acknowledge', 'x'];
  for (let i = 0; i < 2000; i++) {
    const fields = {
      messageType: types[i % types.length],
      sequenceNumber: BigInt.asIntN(64, randomBytes(8).readBigUInt64BE()),
      flags: randomBytes(8).readBigUInt64BE(),
      payloadType: randomBytes(4).readUInt32BE(),
      payload: randomBytes(Math.floor(Math.random() * 3000)),
      messageId: randomUUID(),
      createdDate: 1 + Math.floor(Math.random() * 2 ** 52),
      schemaVersion: 1,
    };
    const decoded = decodeMessage(encodeMessage(fields));
    assert.equal(decoded.messageType, fields.messageType);
    assert.equal(decoded.sequenceNumber, fields.sequenceNumber);
    assert.equal(decoded.flags, fields.flags);
    assert.equal(decoded.payloadType, fields.payloadType);
    assert.ok(decoded.payload.equals(fields.payload));
    assert.equal(decoded.messageId, fields.messageId);
    assert.equal(decoded.createdDate, fields.createdDate);
    assert.equal(decoded.digestValid, true);
    assert.equal(decoded.trailingBytes, 0);
  }
});

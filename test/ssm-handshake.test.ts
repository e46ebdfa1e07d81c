// The handshake answer: SessionType accepted, KMS declined with a reason, unknown actions
// Unsupported, and a ClientVersion below 1.1.70 so the agent never switches to smux.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { answerHandshake } from '../src/ssm/handshake.js';

function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

test('answers SessionType, declines KMS, marks unknown actions unsupported', () => {
  const request = {
    AgentVersion: '3.3.987.0',
    RequestedClientActions: [
      {
        ActionType: 'SessionType',
        ActionParameters: { SessionType: 'Port', Properties: { portNumber: '22' } },
      },
      {
        ActionType: 'KMSEncryption',
        ActionParameters: { KMSKeyId: 'arn:aws:kms:eu-west-1:1:key/k' },
      },
      { ActionType: 'SomethingNew', ActionParameters: {} },
    ],
  };
  const outcome = answerHandshake(Buffer.from(JSON.stringify(request)));
  assert.equal(outcome.sessionType, 'Port');
  assert.deepEqual(outcome.properties, { portNumber: '22' });
  assert.equal(outcome.kmsKeyId, 'arn:aws:kms:eu-west-1:1:key/k');

  const response = JSON.parse(outcome.response.toString());
  assert.deepEqual(
    response.ProcessedClientActions.map((a: { ActionType: string; ActionStatus: number }) => [
      a.ActionType,
      a.ActionStatus,
    ]),
    [
      ['SessionType', 1],
      ['KMSEncryption', 2],
      ['SomethingNew', 3],
    ],
  );
  assert.match(
    response.ProcessedClientActions[1].Error,
    /KMS-encrypted sessions are not supported/,
  );
  assert.ok(compareVersions(response.ClientVersion, '1.1.70') < 0, 'below the smux switch');
});

test('an unknown session type is answered Failed; bad JSON is a protocol error', () => {
  const outcome = answerHandshake(
    Buffer.from(
      '{"RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":{"SessionType":"Mystery"}}]}',
    ),
  );
  assert.equal(JSON.parse(outcome.response.toString()).ProcessedClientActions[0].ActionStatus, 2);
  assert.throws(() => answerHandshake(Buffer.from('not json')), /not valid JSON/);
});

// No secret reaches the extension's log: the credentials the connect check resolved, session
// tokens, stream URLs and private keys are scrubbed from every line, whatever the level.
// (test/editor-host.test.ts checks the real log file of a real connect the same way.)

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AwsClients } from '../src/aws/clients.js';
import { checkCredentials } from '../src/connect/credentials.js';
import { safeLog } from '../src/connect/safeLog.js';
import type { Logger } from '../src/ssm/log.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const SESSION = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue0123456789';
const KEY_ID = 'ASIAEXAMPLEKEYID0001';

function capture(): { lines: string[]; sink: Logger } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    sink: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
  };
}

function fakeClients(): AwsClients {
  const credentials = async () => ({
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
    sessionToken: SESSION,
  });
  return { ecs: { config: { credentials } }, ssm: {}, context: {} } as unknown as AwsClients;
}

test('credentials resolved by the connect check never appear in any log line', async () => {
  const { lines, sink } = capture();
  const log = safeLog(sink);
  await checkCredentials(fakeClients(), { region: 'eu-west-1' }, log.redactor);

  log.debug(`env dump: AWS_SECRET_ACCESS_KEY=${SECRET} AWS_SESSION_TOKEN=${SESSION}`);
  log.info(`resolved ${KEY_ID}:${SECRET}`);
  log.warn(`retrying with token ${SESSION}`);
  log.error(`failed: {"SecretAccessKey":"${SECRET}","SessionToken":"${SESSION}"}`);

  assert.equal(lines.length, 4);
  for (const line of lines) {
    assert.ok(!line.includes(SECRET), line);
    assert.ok(!line.includes(SESSION), line);
    assert.ok(!line.includes(KEY_ID), line);
  }
});

test('stream URLs, TokenValue fields and private keys are scrubbed by their shape', () => {
  const { lines, sink } = capture();
  const log = safeLog(sink);
  const token = 'AAEAAfakeStreamTokenThatIsNeverRegistered0123456789';
  log.info(
    `StreamUrl wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe&token=${token}`,
  );
  log.debug(`StartSession reply {"SessionId":"s-1","TokenValue":"${token}"}`);
  log.error(
    'key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----',
  );

  const text = lines.join('\n');
  assert.ok(!text.includes(token));
  assert.ok(!text.includes('b3BlbnNzaC1rZXk'));
  assert.match(
    text,
    /wss:\/\/ssmmessages\.eu-west-1\.amazonaws\.com\/\[redacted\]/,
    'the host stays readable',
  );
  assert.match(text, /"SessionId":"s-1"/, 'what is not secret stays');
});

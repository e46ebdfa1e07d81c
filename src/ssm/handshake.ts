// The session handshake (§5 of the protocol notes): answer each requested client action, then
// wait for HandshakeComplete. KMS encryption is declined with a clear reason, which makes the
// agent end the session; we report that at once instead of waiting.

import { ChannelError } from './errors.js';
import { CLIENT_VERSION } from './dataChannel.js';

const SUPPORTED_SESSION_TYPES = new Set([
  'Port',
  'NonInteractiveCommands',
  'InteractiveCommands',
  'Standard_Stream',
]);

const ActionStatus = { Success: 1, Failed: 2, Unsupported: 3 } as const;

export interface HandshakeRequest {
  AgentVersion?: string;
  RequestedClientActions?: {
    ActionType?: string;
    ActionParameters?: Record<string, unknown> | null;
  }[];
}

export interface HandshakeOutcome {
  agentVersion: string;
  sessionType: string;
  properties: unknown;
  /** Set when the agent asked for KMS encryption, which we declined. */
  kmsKeyId?: string;
  response: Buffer;
}

export function answerHandshake(payload: Buffer): HandshakeOutcome {
  let request: HandshakeRequest;
  try {
    request = JSON.parse(payload.toString('utf8')) as HandshakeRequest;
  } catch {
    throw new ChannelError('PROTOCOL_ERROR', 'The session handshake request is not valid JSON.');
  }
  const actions: unknown = request?.RequestedClientActions;
  if (
    typeof request !== 'object' ||
    request === null ||
    Array.isArray(request) ||
    (actions != null && !Array.isArray(actions))
  ) {
    throw new ChannelError(
      'PROTOCOL_ERROR',
      'The session handshake request is not a JSON object with a list of actions.',
    );
  }

  const outcome: HandshakeOutcome = {
    agentVersion: request.AgentVersion ?? 'unknown',
    sessionType: '',
    properties: null,
    response: Buffer.alloc(0),
  };
  const processed = (request.RequestedClientActions ?? []).map((action) =>
    processAction(action ?? {}, outcome),
  );
  outcome.response = Buffer.from(
    JSON.stringify({
      ClientVersion: CLIENT_VERSION,
      ProcessedClientActions: processed,
      Errors: [],
    }),
  );
  return outcome;
}

function processAction(
  action: NonNullable<HandshakeRequest['RequestedClientActions']>[number],
  outcome: HandshakeOutcome,
): Record<string, unknown> {
  const type = action.ActionType ?? '';
  const parameters = action.ActionParameters ?? {};
  const answer = (status: number, error = '') => ({
    ActionType: type,
    ActionStatus: status,
    ActionResult: null,
    Error: error,
  });

  if (type === 'SessionType') {
    const sessionType = String(parameters.SessionType ?? '');
    outcome.sessionType = sessionType;
    outcome.properties = parameters.Properties ?? null;
    if (SUPPORTED_SESSION_TYPES.has(sessionType)) return answer(ActionStatus.Success);
    return answer(ActionStatus.Failed, `session type "${sessionType}" is not supported`);
  }
  if (type === 'KMSEncryption') {
    outcome.kmsKeyId = String(parameters.KMSKeyId ?? 'unknown key');
    return answer(
      ActionStatus.Failed,
      'KMS-encrypted sessions are not supported by this client yet',
    );
  }
  return answer(ActionStatus.Unsupported, `client action "${type}" is not supported`);
}

export function kmsNotSupported(sessionId: string, kmsKeyId: string): ChannelError {
  return new ChannelError(
    'KMS_NOT_SUPPORTED',
    `Session ${sessionId} asks for KMS encryption (key ${kmsKeyId}); KMS-encrypted sessions are ` +
      'not supported yet. Remove the KMS key from the Session Manager preferences or the ' +
      "cluster's execute command configuration to connect.",
  );
}

export function handshakeTimeout(sessionId: string, seconds: number): ChannelError {
  return new ChannelError(
    'HANDSHAKE_TIMEOUT',
    `Session ${sessionId} opened, but the SSM agent did not complete the handshake within ` +
      `${seconds} s. The agent in the target may be stopped, overloaded or too old; check the ` +
      'ExecuteCommandAgent status of the container and try again.',
  );
}

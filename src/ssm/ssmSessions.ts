// The three Session Manager API calls a client makes: StartSession, ResumeSession and
// TerminateSession, through the AWS SDK. Replies become SessionCredentials, whose token and
// stream URL never print; AWS errors become SessionApiErrors with a code and a plain message.

import {
  ResumeSessionCommand,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';

import { SessionCredentials } from './sessionCredentials.js';

export const Documents = {
  ssh: 'AWS-StartSSHSession',
  portForwarding: 'AWS-StartPortForwardingSession',
  command: 'AWS-StartNonInteractiveCommand',
} as const;

export interface SessionRequest {
  target: string;
  documentName: string;
  parameters?: Record<string, string[]>;
  reason?: string;
}

export type SessionApiErrorCode =
  | 'TARGET_NOT_CONNECTED'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'INVALID_DOCUMENT'
  | 'SESSION_API_FAILED';

export class SessionApiError extends Error {
  override name = 'SessionApiError';

  constructor(
    readonly code: SessionApiErrorCode,
    message: string,
    readonly awsCode: string,
  ) {
    super(message);
  }
}

export class SsmSessions {
  constructor(private readonly client: SSMClient) {}

  async start(request: SessionRequest): Promise<SessionCredentials> {
    try {
      const reply = await this.client.send(
        new StartSessionCommand({
          Target: request.target,
          DocumentName: request.documentName,
          Parameters: request.parameters,
          Reason: request.reason,
        }),
      );
      return SessionCredentials.fromReply({ ...reply });
    } catch (error) {
      throw describeStartError(error, request);
    }
  }

  /** Fresh credentials for a session, or undefined when Session Manager says it is gone. */
  async resume(sessionId: string): Promise<SessionCredentials | undefined> {
    try {
      const reply = await this.client.send(new ResumeSessionCommand({ SessionId: sessionId }));
      if (!reply.TokenValue) return undefined;
      return SessionCredentials.fromReply({ ...reply });
    } catch (error) {
      if ((error as Error).name === 'DoesNotExistException') return undefined;
      throw error;
    }
  }

  async terminate(sessionId: string): Promise<void> {
    await this.client.send(new TerminateSessionCommand({ SessionId: sessionId }));
  }
}

function describeStartError(error: unknown, request: SessionRequest): Error {
  const name = (error as Error).name ?? 'Error';
  const message = (error as Error).message ?? String(error);
  const detail = /[.!?]$/.test(message) ? message : `${message}.`;
  const target = request.target;
  switch (name) {
    case 'TargetNotConnected':
      return new SessionApiError(
        'TARGET_NOT_CONNECTED',
        `Session Manager cannot reach "${target}" (TargetNotConnected): the SSM agent in the ` +
          'container is not connected. Check that ECS Exec is enabled on the task and that its ' +
          'ExecuteCommandAgent is RUNNING.',
        name,
      );
    case 'AccessDeniedException':
      return new SessionApiError(
        'ACCESS_DENIED',
        `Starting a session on "${target}" was denied: ${detail} Allow ssm:StartSession on the ` +
          `task and on the document "${request.documentName}" for your AWS identity.`,
        name,
      );
    case 'ThrottlingException':
      return new SessionApiError(
        'THROTTLED',
        `Session Manager throttled StartSession on "${target}" after retries: ${detail} Wait ` +
          `a moment and try again.`,
        name,
      );
    case 'InvalidDocument':
      return new SessionApiError(
        'INVALID_DOCUMENT',
        `Session Manager does not know the document "${request.documentName}": ${detail}`,
        name,
      );
    default:
      if (error instanceof Error && name.startsWith('Session')) return error;
      return new SessionApiError(
        'SESSION_API_FAILED',
        `StartSession on "${target}" failed (${name}): ${detail}`,
        name,
      );
  }
}

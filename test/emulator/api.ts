// The SSM JSON API subset (awsJson1_1: POST /, X-Amz-Target: AmazonSSM.<Op>) with errors shaped as
// AWS shapes them, so the AWS SDK's own error handling runs: `__type`, `Message`, and the
// X-Amzn-Errortype header. SigV4 is not verified, but a request must carry an Authorization header.

import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError } from './api-error.js';
import { resolveDocument, type ResolvedDocument } from './documents.js';
import { ecsOperations, type EcsContext } from './ecs/operations.js';
import { handleQuery, isQueryRequest } from './iam/query.js';
import { authorizeStartSession, clusterKmsKey } from './iam/sessions.js';
import type { Logger } from './log.js';
import type { Session, SessionSpec } from './session.js';
import { DEFAULT_AGENT_VERSION, type World } from './world.js';

export interface ApiCall {
  operation: string;
  target?: string;
}

export interface ApiContext {
  world: World;
  apiCalls: ApiCall[];
  /** Calls per operation so far, for `world.throttle`. */
  callCounts: Map<string, number>;
  log: Logger;
  streamUrl(sessionId: string): string;
  createSession(spec: SessionSpec): Session;
  findSession(sessionId: string): Session | undefined;
  /** Present when the world has ECS clusters. */
  ecs?: EcsContext;
}

type Input = Record<string, unknown>;
type Operation = (input: Input, context: ApiContext) => object;

const CONTENT_TYPE = 'application/x-amz-json-1.1';

const operations: Record<string, Operation> = {
  StartSession: startSession,
  ResumeSession: resumeSession,
  TerminateSession: terminateSession,
};

export async function handleApiRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: ApiContext,
): Promise<void> {
  try {
    const body = await readBody(request);
    const expired = signedWithExpiredKey(request, context.world);
    if (isQueryRequest(request.headers['content-type']) && request.headers.authorization) {
      const refusal = expired ? new ApiError('ExpiredToken', EXPIRED_MESSAGE, 403) : undefined;
      handleQuery(
        body,
        context.world,
        response,
        (operation) => context.apiCalls.push({ operation }),
        refusal,
      );
      return;
    }
    const { service, operation } = authorize(request);
    if (expired) throw new ApiError('ExpiredTokenException', EXPIRED_MESSAGE);
    const input = parseInput(body);
    const target = typeof input.Target === 'string' ? input.Target : undefined;
    context.apiCalls.push(target ? { operation, target } : { operation });
    send(response, 200, dispatch(service, operation, input, context));
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError('InternalServerError', String(error), 500);
    context.log(`api error ${apiError.type}: ${apiError.message}`);
    const body = { __type: apiError.type, [apiError.messageKey]: apiError.message };
    send(response, apiError.status, body, apiError);
  }
}

const SSM_PREFIX = 'AmazonSSM';
const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113';

function dispatch(service: string, operation: string, input: Input, context: ApiContext): object {
  if (service === ECS_PREFIX) {
    const handler = ecsOperations[operation];
    if (!handler || !context.ecs) {
      throw new ApiError('UnknownOperationException', `Unknown operation ${operation}`);
    }
    return handler(input, context.ecs);
  }
  const handler = operations[operation];
  if (!handler) throw new ApiError('UnknownOperationException', `Unknown operation ${operation}`);
  return handler(input, context);
}

const EXPIRED_MESSAGE = 'The security token included in the request is expired';

/** Whether the request is signed with an access key the world says has expired. */
function signedWithExpiredKey(request: IncomingMessage, world: World): boolean {
  const keys = world.expiredAccessKeys ?? [];
  if (keys.length === 0) return false;
  const key = /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
  return key !== undefined && keys.includes(key);
}

function authorize(request: IncomingMessage): { service: string; operation: string } {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string') {
    throw new ApiError('UnknownOperationException', 'Expected POST / with X-Amz-Target');
  }
  if (!request.headers.authorization) {
    throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  const [service, operation] = target.split('.');
  if ((service !== SSM_PREFIX && service !== ECS_PREFIX) || !operation) {
    throw new ApiError('UnknownOperationException', `Unknown operation ${target}`);
  }
  return { service, operation };
}

function startSession(input: Input, context: ApiContext): object {
  const { world } = context;
  if (countCall(context, 'StartSession') <= (world.throttle?.StartSession ?? 0)) {
    throw new ApiError('ThrottlingException', 'Rate exceeded');
  }
  const target = input.Target;
  if (typeof target !== 'string' || target === '') {
    throw new ApiError('ValidationException', 'Target must be a non-empty string');
  }
  if (world.denyStartSession) {
    throw new ApiError(
      'AccessDeniedException',
      `User: arn:aws:sts::123456789012:assumed-role/Emulator/${callerOf(world)} is not ` +
        `authorized to perform: ssm:StartSession on resource: ${target}`,
    );
  }
  const document = resolveDocument(input.DocumentName, input.Parameters);
  authorizeStartSession(world, context.ecs?.state, target, document.documentName);

  return openSession(context, target, document, 'ssm');
}

/**
 * Creates a session on a connected target and issues its first token. `ecs` spells the reply
 * as ECS ExecuteCommand does, in lower case.
 * FIXME(#3): ExecuteCommand sessions run as NonInteractiveCommands (handshake, batched output);
 * the agent runs them as InteractiveCommands with a pty and no handshake.
 */
export function openSession(
  context: ApiContext,
  target: string,
  document: ResolvedDocument,
  spelling: 'ssm' | 'ecs',
): object {
  const { world } = context;
  const targetSpec = world.targets[target];
  if (!targetSpec || targetSpec.connected === false) {
    throw new ApiError('TargetNotConnected', `${target} is not connected.`);
  }
  const sessionId =
    spelling === 'ecs'
      ? `ecs-execute-command-${randomBytes(13).toString('hex')}`
      : `${callerOf(world)}-${randomBytes(9).toString('hex').slice(0, 17)}`;
  const session = context.createSession({
    sessionId,
    target,
    ...document,
    commandCwd: targetSpec.commandCwd,
    separateOutputStream: world.separateOutputStream === true,
    kmsKeyId: world.kmsKeyId ?? clusterKmsKey(context.ecs?.state, target),
    agentVersion: world.agentVersion ?? DEFAULT_AGENT_VERSION,
  });
  context.log(`StartSession ${document.documentName} on ${target}: ${sessionId}`);
  const token = session.issueToken();
  const url = context.streamUrl(sessionId);
  if (spelling === 'ecs') return { sessionId, streamUrl: url, tokenValue: token };
  return { SessionId: sessionId, TokenValue: token, StreamUrl: url };
}

/** A session that has ended gets an empty TokenValue, which the plugin reads as "timed out". */
function resumeSession(input: Input, context: ApiContext): object {
  const sessionId = String(input.SessionId ?? '');
  const session = context.findSession(sessionId);
  if (!session) {
    throw new ApiError('DoesNotExistException', `Session ${sessionId} does not exist.`);
  }
  const token = session.state === 'closed' ? '' : session.issueToken();
  context.log(`ResumeSession ${sessionId}${token ? '' : ': session has ended'}`);
  return { SessionId: sessionId, TokenValue: token, StreamUrl: context.streamUrl(sessionId) };
}

function terminateSession(input: Input, context: ApiContext): object {
  const sessionId = String(input.SessionId ?? '');
  context.log(`TerminateSession ${sessionId}`);
  context.findSession(sessionId)?.terminate('');
  return { SessionId: sessionId };
}

function countCall(context: ApiContext, operation: string): number {
  const count = (context.callCounts.get(operation) ?? 0) + 1;
  context.callCounts.set(operation, count);
  return count;
}

function callerOf(world: World): string {
  return world.caller ?? 'emulator';
}

function parseInput(body: string): Input {
  try {
    const input = JSON.parse(body === '' ? '{}' : body);
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input;
  } catch {
    // fall through
  }
  throw new ApiError('SerializationException', 'The request body is not a JSON object');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: object, error?: ApiError): void {
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE,
    'X-Amzn-RequestId': randomUUID(),
  };
  if (error) headers['X-Amzn-Errortype'] = error.type;
  response.writeHead(status, headers);
  response.end(JSON.stringify(body));
}

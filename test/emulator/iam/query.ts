// The IAM and STS subsets the connection checks call, in AWS's query protocol (awsQuery): a form
// POST with Action and Version, an XML reply, and errors as <ErrorResponse> with a Code. IAM:
// SimulatePrincipalPolicy and GetRole, each authorized against the caller's own policies. STS:
// GetCallerIdentity, always allowed.

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { ApiError } from '../api-error.js';
import type { World } from '../world.js';
import { decide, principalKey, roleNameOf } from './policy.js';

type Params = URLSearchParams;
type Operation = (params: Params, world: World) => string;

const NAMESPACES: Record<string, string> = {
  '2010-05-08': 'https://iam.amazonaws.com/doc/2010-05-08/',
  '2011-06-15': 'https://sts.amazonaws.com/doc/2011-06-15/',
};

export const DEFAULT_ACCOUNT = '111122223333';

const operations: Record<string, Operation> = {
  GetCallerIdentity: (_params, world) => {
    const arn = callerOf(world);
    const id = arn.includes(':assumed-role/')
      ? `AROAEMULATOR:${arn.split('/').pop()}`
      : 'AIDAEMULATOR';
    return leaf('Arn', arn) + leaf('UserId', id) + leaf('Account', accountOf(world));
  },

  SimulatePrincipalPolicy: (params, world) => {
    const source = params.get('PolicySourceArn') ?? '';
    authorize(world, 'iam:SimulatePrincipalPolicy', source);
    if (!principalKey(world.iam, source)) {
      throw new ApiError('NoSuchEntity', `The principal ${source} cannot be found.`, 404);
    }
    const actions = members(params, 'ActionNames');
    const resources = members(params, 'ResourceArns');
    // As IAM answers today: one result per action, its decision the most restrictive over the
    // resources, and each resource's own decision in ResourceSpecificResults.
    const results = actions.map((action) => {
      const each = (resources.length > 0 ? resources : ['*']).map((resource) => ({
        resource,
        decision: decide(world.iam, source, action, resource),
      }));
      const overall = MOST_RESTRICTIVE.find((d) => each.some((e) => e.decision === d)) ?? 'allowed';
      const specific = each.map((e) =>
        element(
          'member',
          leaf('EvalResourceName', e.resource) + leaf('EvalResourceDecision', e.decision),
        ),
      );
      return element(
        'member',
        leaf('EvalActionName', action) +
          leaf('EvalResourceName', each.length === 1 ? each[0].resource : '*') +
          leaf('EvalDecision', overall) +
          (resources.length > 0 ? element('ResourceSpecificResults', specific.join('')) : ''),
      );
    });
    return leaf('IsTruncated', 'false') + element('EvaluationResults', results.join(''));
  },

  GetRole: (params, world) => {
    const name = params.get('RoleName') ?? '';
    const arn = Object.keys(world.iam?.policies ?? {}).find((key) => roleNameOf(key) === name);
    authorize(world, 'iam:GetRole', arn ?? `arn:aws:iam::${accountOf(world)}:role/${name}`);
    if (!arn)
      throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
    const path = arn.slice(arn.indexOf(':role') + 5, arn.length - name.length);
    const role =
      leaf('Path', path) +
      leaf('RoleName', name) +
      leaf('RoleId', 'AROAEMULATOR') +
      leaf('Arn', arn) +
      leaf('CreateDate', '2024-01-01T00:00:00Z');
    return element('Role', role);
  },
};

export function isQueryRequest(contentType: string | undefined): boolean {
  return (contentType ?? '').startsWith('application/x-www-form-urlencoded');
}

/** Answers one query-protocol request; `onCall` records the operation. */
export function handleQuery(
  body: string,
  world: World,
  response: ServerResponse,
  onCall: (operation: string) => void,
  /** When set, the request fails with this error (an expired key) before anything else. */
  refusal?: ApiError,
): void {
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  const namespace = NAMESPACES[params.get('Version') ?? ''] ?? NAMESPACES['2010-05-08'];
  const requestId = randomUUID();
  try {
    if (refusal) throw refusal;
    const operation = operations[action];
    if (!operation) throw new ApiError('InvalidAction', `Could not find operation ${action}`);
    onCall(action);
    const result = element(`${action}Result`, operation(params, world));
    const metadata = element('ResponseMetadata', leaf('RequestId', requestId));
    send(response, 200, element(`${action}Response`, result + metadata, namespace));
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError('InternalFailure', String(error), 500);
    const detail =
      leaf('Type', apiError.status >= 500 ? 'Receiver' : 'Sender') +
      leaf('Code', apiError.type) +
      leaf('Message', apiError.message);
    const body = element('Error', detail) + leaf('RequestId', requestId);
    send(response, apiError.status, element('ErrorResponse', body, namespace));
  }
}

function authorize(world: World, action: string, resource: string): void {
  const caller = callerOf(world);
  if (decide(world.iam, caller, action, resource) === 'allowed') return;
  throw new ApiError(
    'AccessDenied',
    `User: ${caller} is not authorized to perform: ${action} on resource: ${resource}`,
    403,
  );
}

export function callerOf(world: World): string {
  return world.iam?.caller ?? `arn:aws:iam::${accountOf(world)}:user/emulator`;
}

function accountOf(world: World): string {
  return world.ecs?.accountId ?? DEFAULT_ACCOUNT;
}

function members(params: Params, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++)
    values.push(params.get(`${name}.member.${i}`) ?? '');
  return values;
}

const MOST_RESTRICTIVE = ['explicitDeny', 'implicitDeny', 'allowed'];

function element(tag: string, content: string, namespace?: string): string {
  const attribute = namespace ? ` xmlns="${namespace}"` : '';
  return `<${tag}${attribute}>${content}</${tag}>`;
}

/** An element holding text, escaped; element() holds markup. */
function leaf(tag: string, text: string): string {
  return element(tag, escapeXml(text));
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function send(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'Content-Type': 'text/xml', 'X-Amzn-RequestId': randomUUID() });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

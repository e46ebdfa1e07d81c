// Whose credentials these are, or why there are none: no credentials at all, an expired SSO
// session (with the exact command that signs in again), or keys AWS no longer accepts.
// Credentials are resolved before any request, so a missing or expired sign-in costs no call.

import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

import type { AwsClients } from '../aws/clients.js';
import { listProfiles } from '../connect/awsProfiles.js';
import type { CheckResult } from './checkResult.js';
import { finding, pass, quotedList } from './result.js';

export const CREDENTIALS_TITLE = 'AWS credentials';

const SSO = /\bSSO\b|sso[ _]login|sso_session/i;
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const REJECTED = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
]);

export interface Caller {
  arn: string;
  account: string;
}

/** The signed-in caller, or a failed check that says why there is none. */
export async function checkCredentials(
  clients: AwsClients,
): Promise<{ result: CheckResult; caller?: Caller }> {
  try {
    await clients.ecs.config.credentials();
    const reply = await clients.sts.send(new GetCallerIdentityCommand({}));
    const caller = { arn: reply.Arn ?? '', account: reply.Account ?? '' };
    const result = pass('NO_CREDENTIALS', CREDENTIALS_TITLE, `Signed in as "${caller.arn}".`);
    return { result, caller };
  } catch (error) {
    const missing = await missingProfile(clients.context.profile);
    if (missing) return { result: missing };
    const known = credentialFailure(error, clients.context.profile);
    if (known) return { result: known };
    const name = (error as Error).name ?? 'Error';
    const result = finding(
      'unknown',
      'NO_CREDENTIALS',
      CREDENTIALS_TITLE,
      `Could not ask STS who is signed in (${name}).`,
      'Check the network path to STS, then try again.',
    );
    return { result };
  }
}

/** A named profile that neither shared file has, as a failed check; undefined when it exists. */
async function missingProfile(profile: string | undefined): Promise<CheckResult | undefined> {
  if (!profile) return undefined;
  const known = (await listProfiles()).map((p) => p.name);
  if (known.includes(profile)) return undefined;
  const others = known.length > 0 ? `; it has ${quotedList(known.slice(0, 10))}` : '';
  return finding(
    'fail',
    'NO_CREDENTIALS',
    CREDENTIALS_TITLE,
    `Profile "${profile}" is not in your AWS config or credentials file${others}.`,
    `Choose one of those profiles, or create it ("aws configure sso --profile ${profile}" or ` +
      `"aws configure --profile ${profile}").`,
  );
}

/** A credentials failure as a check result, or undefined when the error is something else. */
export function credentialFailure(error: unknown, profile?: string): CheckResult | undefined {
  const name = (error as Error)?.name ?? '';
  const text = (error as Error)?.message ?? String(error);
  const chosen = profile ?? process.env.AWS_PROFILE;
  const who = chosen ? `profile "${chosen}"` : 'the default credentials';
  if (SSO.test(text) && /expired|invalid|refresh|not found/i.test(text)) {
    const command = chosen ? `aws sso login --profile ${shellWord(chosen)}` : 'aws sso login';
    return finding(
      'fail',
      'SSO_EXPIRED',
      CREDENTIALS_TITLE,
      `The SSO session of ${who} has expired or is missing.`,
      `Run "${command}", then try again.`,
      { kind: 'signIn', command, ...(chosen && { profile: chosen }) },
    );
  }
  if (EXPIRED.has(name)) {
    return finding(
      'fail',
      'CREDENTIALS_EXPIRED',
      CREDENTIALS_TITLE,
      `${chosen ? `The credentials of ${who}` : 'The default credentials'} have expired (${name}).`,
      'Renew them (sign in again, or refresh the temporary keys), then try again.',
    );
  }
  if (REJECTED.has(name) || name === 'CredentialsProviderError' || /credential/i.test(name)) {
    const detail = REJECTED.has(name) ? `AWS does not accept them (${name})` : firstSentence(text);
    return finding(
      'fail',
      'NO_CREDENTIALS',
      CREDENTIALS_TITLE,
      `No usable AWS credentials for ${who}: ${detail}.`,
      'Configure credentials ("aws configure sso" or "aws configure --profile NAME"), or choose ' +
        'another profile with --profile.',
    );
  }
  return undefined;
}

function firstSentence(text: string): string {
  return text.split(/(?<=\.)\s/)[0].replace(/\.$/, '');
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_.@+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

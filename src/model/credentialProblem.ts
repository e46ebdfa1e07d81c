// Tells a credentials failure from any other: missing credentials, an expired SSO session (with
// the exact command that signs in again) or expired temporary keys.

import type { Scope } from './nodes.js';

export interface CredentialProblem {
  problem: 'missing' | 'expired';
  message: string;
  /** `aws sso login --profile NAME` for SSO sessions; absent when no command fixes it. */
  signInCommand?: string;
}

const SSO = /\bSSO\b.*\b(session|token)\b|aws sso login/i;
const MISSING =
  /Could not load credentials|Could not resolve credentials|Profile .* was not found|is not configured with|Unable to find|credentials? (are|is) missing/i;
const EXPIRED_NAMES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const INVALID_NAMES = new Set(['UnrecognizedClientException', 'InvalidClientTokenId']);

export function credentialProblem(error: unknown, scope: Scope): CredentialProblem | undefined {
  const name = (error as Error)?.name ?? '';
  const text = (error as Error)?.message ?? String(error);
  const who = scope.profile ? `profile "${scope.profile}"` : 'the default credentials';

  if (SSO.test(text)) {
    const signInCommand = signInCommandFor(scope);
    return {
      problem: 'expired',
      message:
        `The SSO session of ${who} has expired or is invalid; sign in again with ` +
        `"${signInCommand}".`,
      signInCommand,
    };
  }
  if (EXPIRED_NAMES.has(name)) {
    return {
      problem: 'expired',
      message: `The credentials of ${who} have expired; renew them and refresh.`,
    };
  }
  if (INVALID_NAMES.has(name)) {
    return {
      problem: 'missing',
      message: `AWS does not accept the credentials of ${who} (${name}); check the profile.`,
    };
  }
  if (name === 'CredentialsProviderError' || MISSING.test(text)) {
    return {
      problem: 'missing',
      message: `No AWS credentials found for ${who}: ${text}`,
    };
  }
  return undefined;
}

export function signInCommandFor(scope: Scope): string {
  if (!scope.profile) return 'aws sso login';
  const profile = /^[A-Za-z0-9_.@+=-]+$/.test(scope.profile)
    ? scope.profile
    : `'${scope.profile.replace(/'/g, `'\\''`)}'`;
  return `aws sso login --profile ${profile}`;
}

// The first step of every connect: can the scope's credentials be resolved at all? An expired
// SSO session fails here with the exact sign-in command, before anything else is touched. The
// keys found are handed to the redactor, so no log line can carry them.

import type { AwsClients } from '../aws/clients.js';
import type { Scope } from '../model/nodes.js';
import type { Redactor } from '../ssm/redact.js';
import { Actions, toUserError, UserError } from './userError.js';

export async function checkCredentials(
  clients: AwsClients,
  scope: Scope,
  redactor: Redactor,
): Promise<void> {
  let identity;
  try {
    identity = await clients.ecs.config.credentials();
  } catch (error) {
    const failure = toUserError(error, { scope });
    if (
      failure instanceof UserError &&
      /SSO_EXPIRED|NO_CREDENTIALS|CREDENTIALS_EXPIRED/.test(failure.code)
    ) {
      throw failure;
    }
    throw new UserError(
      'NO_CREDENTIALS',
      `Could not load AWS credentials for ` +
        `${scope.profile ? `profile "${scope.profile}"` : 'the default chain'}: ` +
        `${failure.message}`,
      Actions.selectProfile,
    );
  }
  redactor.add(identity.secretAccessKey, identity.sessionToken, identity.accessKeyId);
}

// AWS SDK clients for one profile and region. Credentials come from the SDK's Node chain, with
// the named profile taking precedence over environment keys. Endpoints follow the SDK's own
// rules, so AWS_ENDPOINT_URL_ECS, _SSM, _IAM and _STS point them elsewhere (our emulator).
// Every call is logged at debug level: operation, region, duration, request id; never a secret.

import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

import { silentLogger, type Logger } from '../ssm/log.js';

export interface AwsContext {
  /** A profile from the shared config files; undefined uses the default chain. */
  profile?: string;
  /** Undefined uses AWS_REGION or the profile's region. */
  region?: string;
}

export interface AwsClients {
  ecs: ECSClient;
  ssm: SSMClient;
  /** The policy simulator and GetRole, for the connection checks. */
  iam: IAMClient;
  /** GetCallerIdentity, for the connection checks. */
  sts: STSClient;
  context: AwsContext;
}

export function createClients(context: AwsContext, logger: Logger = silentLogger): AwsClients {
  const credentials = fromNodeProviderChain(context.profile ? { profile: context.profile } : {});
  const config = {
    credentials,
    region: context.region,
    profile: context.profile,
    maxAttempts: 4,
  };
  const ecs = new ECSClient(config);
  const ssm = new SSMClient(config);
  const iam = new IAMClient(config);
  const sts = new STSClient(config);
  for (const client of [ecs, ssm, iam, sts]) addCallLogging(client as ECSClient, logger);
  return { ecs, ssm, iam, sts, context };
}

/** The clients share the SDK's middleware stack shape; the ECS typing stands for both. */
function addCallLogging(client: ECSClient, logger: Logger): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = Date.now();
      const operation = String(context.commandName ?? 'call').replace(/Command$/, '');
      const service = String(context.clientName ?? '').replace(/Client$/, '');
      try {
        const result = await next(args);
        const requestId = (result.output as { $metadata?: { requestId?: string } }).$metadata
          ?.requestId;
        logger.debug(
          `${service} ${operation} ${Date.now() - started} ms${requestIdText(requestId)}`,
        );
        return result;
      } catch (error) {
        const name = (error as Error).name;
        logger.debug(`${service} ${operation} failed after ${Date.now() - started} ms: ${name}`);
        throw error;
      }
    },
    { step: 'initialize', name: 'ecsRemoteCallLog' },
  );
}

function requestIdText(requestId: string | undefined): string {
  return requestId ? ` (request ${requestId})` : '';
}

// Checks on the cluster's ECS Exec configuration: a KMS key (this client declines KMS-encrypted
// sessions) and session logging (the task role must be able to write the logs, or the agent
// ends each session).

import type { Cluster } from '@aws-sdk/client-ecs';

import type { CheckResult } from './checkResult.js';
import { finding, pass } from './result.js';
import { deniedActions, type Simulation } from './simulation.js';

export function execConfigurationOf(cluster: Cluster) {
  return cluster.configuration?.executeCommandConfiguration;
}

export function checkExecKmsKey(cluster: Cluster): CheckResult {
  const title = 'Session encryption (KMS)';
  const key = execConfigurationOf(cluster)?.kmsKeyId;
  if (!key) return pass('EXEC_KMS_KEY', title, 'The cluster asks for no KMS key.');
  return finding(
    'fail',
    'EXEC_KMS_KEY',
    title,
    `Cluster "${cluster.clusterName}" encrypts ECS Exec sessions with KMS key "${key}", and ` +
      'this client declines KMS-encrypted sessions, so the agent ends them.',
    "Remove kmsKeyId from the cluster's executeCommandConfiguration to connect. A client that " +
      'does use KMS also needs kms:Decrypt on the key for the task role and kms:GenerateDataKey ' +
      'for your identity.',
  );
}

export interface LoggingNeeds {
  destination: string;
  actions: string[];
  resources: string[];
}

/** What the task role must be allowed for the cluster's session logging, or undefined if none. */
export function loggingNeeds(
  cluster: Cluster,
  region: string,
  account: string,
): LoggingNeeds | undefined {
  const config = execConfigurationOf(cluster);
  if (config?.logging !== 'OVERRIDE') return undefined;
  const log = config.logConfiguration ?? {};
  if (log.cloudWatchLogGroupName) {
    const group = `arn:aws:logs:${region}:${account}:log-group:${log.cloudWatchLogGroupName}`;
    return {
      destination: `CloudWatch log group "${log.cloudWatchLogGroupName}"`,
      actions: [
        'logs:DescribeLogGroups',
        'logs:CreateLogStream',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
      ],
      resources: [`${group}:*`],
    };
  }
  if (log.s3BucketName) {
    const bucket = `arn:aws:s3:::${log.s3BucketName}`;
    const encryption = log.s3EncryptionEnabled ? ['s3:GetEncryptionConfiguration'] : [];
    return {
      destination: `S3 bucket "${log.s3BucketName}"`,
      actions: ['s3:PutObject', ...encryption],
      resources: [bucket, `${bucket}/*`],
    };
  }
  return undefined;
}

export function checkSessionLogging(
  cluster: Cluster,
  needs: LoggingNeeds | undefined,
  simulation: Simulation | undefined,
): CheckResult {
  const title = 'Session logging';
  if (!needs)
    return pass('EXEC_SESSION_LOGGING', title, 'The cluster sets no session log destination.');
  const wanted = `the task role needs ${needs.actions.join(', ')} there, or the agent ends each session`;
  const fix = `Allow the task role ${needs.actions.join(', ')} on that destination, or set the cluster's ECS Exec logging to NONE.`;
  const where = `Cluster "${cluster.clusterName}" logs ECS Exec sessions to ${needs.destination}`;
  if (!simulation)
    return finding('warn', 'EXEC_SESSION_LOGGING', title, `${where}: ${wanted}.`, fix);
  if (simulation.status === 'unchecked') {
    return finding(
      'warn',
      'EXEC_SESSION_LOGGING',
      title,
      `${where}: ${wanted}; could not check the task role, because ${simulation.reason}.`,
      fix,
    );
  }
  const denied = deniedActions(simulation, needs.actions);
  if (denied.length === 0) {
    return pass('EXEC_SESSION_LOGGING', title, `${where}, and the task role may write there.`);
  }
  return finding(
    'fail',
    'EXEC_SESSION_LOGGING',
    title,
    `${where}, and task role "${simulation.principal}" may not ${denied.join(', ')} there, so the agent ends each session.`,
    fix,
  );
}

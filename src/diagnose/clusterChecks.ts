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
    'KMS-encrypted sessions are not supported yet: use "aws ecs execute-command" for this ' +
      'cluster meanwhile, or remove kmsKeyId from its executeCommandConfiguration where your ' +
      'security policy allows. (A client that uses KMS needs kms:Decrypt on the key for the ' +
      'task role and kms:GenerateDataKey for your identity.)',
  );
}

export interface LoggingNeeds {
  destination: string;
  /** Every action the destination needs, in the order messages name them. */
  actions: string[];
  /** Which actions on which resources: each is simulated on its own. */
  grants: { actions: string[]; resources: string[] }[];
}

/**
 * What the task role must be allowed for each of the cluster's session log destinations
 * (CloudWatch Logs, S3 or both); empty when sessions are not logged.
 */
export function loggingNeeds(cluster: Cluster, region: string, account: string): LoggingNeeds[] {
  const config = execConfigurationOf(cluster);
  if (config?.logging !== 'OVERRIDE') return [];
  const log = config.logConfiguration ?? {};
  const needs: LoggingNeeds[] = [];
  if (log.cloudWatchLogGroupName) {
    const groups = `arn:aws:logs:${region}:${account}:log-group`;
    const writes = ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'];
    needs.push({
      destination: `CloudWatch log group "${log.cloudWatchLogGroupName}"`,
      actions: ['logs:DescribeLogGroups', ...writes],
      grants: [
        { actions: ['logs:DescribeLogGroups'], resources: [`${groups}:*`] },
        { actions: writes, resources: [`${groups}:${log.cloudWatchLogGroupName}:*`] },
      ],
    });
  }
  if (log.s3BucketName) {
    const bucket = `arn:aws:s3:::${log.s3BucketName}`;
    const encryption = log.s3EncryptionEnabled
      ? [{ actions: ['s3:GetEncryptionConfiguration'], resources: [bucket] }]
      : [];
    needs.push({
      destination: `S3 bucket "${log.s3BucketName}"`,
      actions: ['s3:PutObject', ...encryption.flatMap((g) => g.actions)],
      grants: [{ actions: ['s3:PutObject'], resources: [`${bucket}/*`] }, ...encryption],
    });
  }
  return needs;
}

/** `simulations[i]` answers `needs[i]`; absent when the task has no role to simulate. */
export function checkSessionLogging(
  cluster: Cluster,
  needs: LoggingNeeds[],
  simulations: Simulation[] | undefined,
): CheckResult {
  const title = 'Session logging';
  if (needs.length === 0)
    return pass('EXEC_SESSION_LOGGING', title, 'The cluster sets no session log destination.');
  const where =
    `Cluster "${cluster.clusterName}" logs ECS Exec sessions to ` +
    `${andList(needs.map((n) => n.destination))}`;
  const allActions = [...new Set(needs.flatMap((n) => n.actions))];
  const wanted = `the task role needs ${allActions.join(', ')} there, or the agent ends each session`;
  const fixFor = (list: LoggingNeeds[], actions = list.flatMap((n) => n.actions)) => {
    const on =
      list.length === 1 && needs.length === 1
        ? 'that destination'
        : andList(list.map((n) => n.destination));
    return (
      `Allow the task role ${[...new Set(actions)].join(', ')} on ${on}, or set the cluster's ` +
      `ECS Exec logging to NONE.`
    );
  };
  if (!simulations) {
    // No task role to ask about: NO_TASK_ROLE says what blocks; this could not be checked.
    return finding('unknown', 'EXEC_SESSION_LOGGING', title, `${where}: ${wanted}.`, fixFor(needs));
  }
  const unchecked = simulations.find((s) => s.status === 'unchecked');
  const denials = needs
    .map((need, i) => ({ need, denied: deniedActions(simulations[i], need.actions) }))
    .filter((d) => d.denied.length > 0);
  if (denials.length > 0) {
    const role = simulations[0].principal;
    const what = denials
      .map(
        (d) => `${d.denied.join(', ')}${needs.length > 1 ? ` on ${d.need.destination}` : ' there'}`,
      )
      .join(', nor ');
    return finding(
      'fail',
      'EXEC_SESSION_LOGGING',
      title,
      `${where}, and task role "${role}" may not ${what}, so the agent ends each session.`,
      fixFor(
        denials.map((d) => d.need),
        denials.flatMap((d) => d.denied),
      ),
    );
  }
  if (unchecked?.status === 'unchecked') {
    return finding(
      'unknown',
      'EXEC_SESSION_LOGGING',
      title,
      `${where}: ${wanted}; could not check the task role, because ${unchecked.reason}.`,
      fixFor(needs),
    );
  }
  return pass('EXEC_SESSION_LOGGING', title, `${where}, and the task role may write there.`);
}

function andList(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

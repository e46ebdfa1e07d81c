// `ecs-ssh config <target>`: writes the managed Host block for one container into an ssh config
// and prints its alias, so that `ssh <alias>`, scp and any editor can reach the container.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { createClients } from '../aws/clients.js';
import type { ECSClient } from '@aws-sdk/client-ecs';

import {
  parseTargetSpec,
  resolveTarget,
  ResolveError,
  type TargetSpec,
} from '../aws/resolveTarget.js';
import {
  defaultConfigPath,
  defaultStateDir,
  ensureKeyPair,
  hostEntry,
  verifyWithSsh,
  writeHostBlock,
} from '../ssh/index.js';

export const CONFIG_USAGE = `Usage: ecs-ssh config TARGET --cluster NAME [options]

Writes a Host block for one container into your ssh config and prints its alias.
TARGET is a task id or ARN, task/<id>, service/<name> (follows the service to its
current task on every connect) or family/<name>.

  --cluster NAME        ECS cluster name (required)
  --container NAME      container name (looked up when the task has only one)
  --profile NAME        AWS profile (default: the SDK's default chain)
  --region NAME         AWS region (default: AWS_REGION or the profile's region)
  --user NAME           login user in the container (default root)
  --config FILE         ssh config to write (default ~/.ssh/config)
  --identity-file FILE  your own private key (default: one generated for ecs-remote-ssh)
  --state-dir DIR       where the generated key and known_hosts live
                        (default ~/.ssh/ecs-remote-ssh)`;

export async function configCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      container: { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      user: { type: 'string', default: 'root' },
      config: { type: 'string' },
      'identity-file': { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out(CONFIG_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.cluster) {
    throw new Error('give one TARGET and --cluster; see ecs-ssh config --help.');
  }
  const spec = parseTargetSpec(positionals[0]);
  // One spelling per target (an ARN and a bare id give the same alias and Host block).
  const targetText = canonicalTarget(spec);
  const clients = createClients({ profile: values.profile, region: values.region });
  const region = values.region ?? (await clients.ecs.config.region());
  const container = await checkContainer(clients.ecs, values.cluster, spec, values.container);

  const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
  const keys = await ensureKeyPair({ dir: stateDir, identityFile: values['identity-file'] });
  const configPath = resolve(values.config ?? defaultConfigPath());
  const entry = hostEntry({
    target: {
      profile: values.profile,
      region,
      cluster: values.cluster,
      target: targetText,
      container,
    },
    user: values.user as string,
    launcher: { command: process.execPath, args: [resolve(process.argv[1]), 'proxy'] },
    identityFile: keys.privateKey,
    publicKeyFile: keys.publicKey,
    knownHostsFile: resolve(stateDir, 'known_hosts'),
  });
  const written = await writeHostBlock(configPath, [entry]);
  const check = await verifyWithSsh(written.path, entry);
  if (check.status === 'conflict' || check.status === 'rejected') {
    process.stderr.write(`ecs-ssh config: warning: ${check.message}\n`);
  }
  out(entry.alias);
  return 0;
}

/** States that may change before the next connect. */
const PASSING = new Set([
  'TASK_NOT_RUNNING',
  'EXEC_DISABLED',
  'AGENT_NOT_RUNNING',
  'NO_RUNTIME_ID',
]);

/**
 * The container the block is for, checked now: a name that does not exist (or a task that does
 * not) fails here, not at ssh time; a state that may change (exec off, agent not running) only
 * warns, since the block stays valid.
 */
async function checkContainer(
  ecs: ECSClient,
  cluster: string,
  spec: TargetSpec,
  container: string | undefined,
): Promise<string> {
  try {
    return (await resolveTarget(ecs, cluster, spec, container)).containerName;
  } catch (error) {
    if (!(error instanceof ResolveError) || !PASSING.has(error.code) || !container) {
      throw suggestService(error, spec);
    }
    process.stderr.write(`ecs-ssh config: warning: ${error.message}\n`);
    return container;
  }
}

/** A bare word that is no task id was probably a service name. */
function suggestService(error: unknown, spec: TargetSpec): unknown {
  const bare = spec.kind === 'task' && !/^[0-9a-f]{32}$/.test(spec.taskId);
  if (!(error instanceof ResolveError) || error.code !== 'TASK_NOT_FOUND' || !bare) return error;
  const name = spec.kind === 'task' ? spec.taskId : '';
  return new ResolveError(
    'TASK_NOT_FOUND',
    `${error.message} If "${name}" is a service, give service/${name} (or family/${name} for ` +
      `a task family).`,
  );
}

function canonicalTarget(spec: TargetSpec): string {
  if (spec.kind === 'task') return `task/${spec.taskId}`;
  if (spec.kind === 'service') return `service/${spec.serviceName}`;
  return `family/${spec.family}`;
}

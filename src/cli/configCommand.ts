// `ecs-ssh config <target>`: writes the managed Host block for one container into an ssh config
// and prints its alias, so that `ssh <alias>`, scp and any editor can reach the container.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { createClients } from '../aws/clients.js';
import { parseTargetSpec, resolveTarget } from '../aws/resolveTarget.js';
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
  const targetText = positionals[0];
  const spec = parseTargetSpec(targetText);
  const clients = createClients({ profile: values.profile, region: values.region });
  const region = values.region ?? (await clients.ecs.config.region());
  const container =
    values.container ??
    (await resolveTarget(clients.ecs, values.cluster, spec, undefined)).containerName;

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

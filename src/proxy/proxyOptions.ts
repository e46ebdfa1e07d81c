// The ProxyCommand's arguments. The Host block passes all of them explicitly, so nothing
// depends on the environment ssh happens to run the proxy with (AWS_PROFILE, PATH, region).

import { parseArgs } from 'node:util';

import { parseTargetSpec, type TargetSpec } from '../aws/resolveTarget.js';
import { DEFAULT_SSHD_PORT } from '../bootstrap/bootstrapCommand.js';

export interface ProxyOptions {
  profile?: string;
  region?: string;
  cluster: string;
  target: TargetSpec;
  container?: string;
  user: string;
  publicKeyFile: string;
  knownHostsFile: string;
  hostKeyAlias: string;
  port: number;
  chunkSize: number;
  /** How long to wait for an ECS Exec agent that is still PENDING; default 60. */
  agentWaitSeconds?: number;
  verbose: boolean;
}

export const PROXY_USAGE = `Usage: ecs-ssh proxy --cluster NAME --target TARGET --public-key FILE
       --known-hosts FILE --host-key-alias ALIAS [options]

Runs as ssh's ProxyCommand: finds the task, starts sshd in the container through Session
Manager, pins its host key, then carries the SSH stream on stdin and stdout.

  --profile NAME        AWS profile (default: the SDK's default chain)
  --region NAME         AWS region (default: AWS_REGION or the profile's region)
  --cluster NAME        ECS cluster name or ARN
  --target TARGET       task id or ARN, task/<id>, service/<name> or family/<name>
  --container NAME      container name (needed when the task has several)
  --user NAME           login user in the container (default root)
  --public-key FILE     the public key sshd in the container should accept
  --known-hosts FILE    our managed known_hosts file, where the host key is written
  --host-key-alias NAME the HostKeyAlias of the Host block
  --port N              sshd port inside the container (default ${DEFAULT_SSHD_PORT})
  --chunk-size N        largest data message in bytes (default 1024)
  --agent-wait S        seconds to wait for an ECS Exec agent still PENDING (default 60)
  --verbose             log each AWS call and channel event to stderr
  --help                show this text`;

export function parseProxyOptions(argv: string[]): ProxyOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      profile: { type: 'string' },
      region: { type: 'string' },
      cluster: { type: 'string' },
      target: { type: 'string' },
      container: { type: 'string' },
      user: { type: 'string', default: 'root' },
      'public-key': { type: 'string' },
      'known-hosts': { type: 'string' },
      'host-key-alias': { type: 'string' },
      port: { type: 'string', default: String(DEFAULT_SSHD_PORT) },
      'chunk-size': { type: 'string', default: '1024' },
      'agent-wait': { type: 'string', default: '60' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';

  const required = ['cluster', 'target', 'public-key', 'known-hosts', 'host-key-alias'] as const;
  const missing = required.filter((name) => !values[name]);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((m) => `--${m}`).join(', ')}; see --help.`);
  }
  return {
    profile: values.profile,
    region: values.region,
    cluster: values.cluster as string,
    target: parseTargetSpec(values.target as string),
    container: values.container,
    user: values.user as string,
    publicKeyFile: values['public-key'] as string,
    knownHostsFile: values['known-hosts'] as string,
    hostKeyAlias: values['host-key-alias'] as string,
    port: positiveInteger('--port', values.port as string, 65535),
    chunkSize: positiveInteger('--chunk-size', values['chunk-size'] as string, 1024 * 1024),
    agentWaitSeconds: positiveInteger('--agent-wait', values['agent-wait'] as string, 3600),
    verbose: values.verbose as boolean,
  };
}

function positiveInteger(name: string, text: string, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}, not "${text}".`);
  }
  return value;
}

// `ecs-ssh doctor <target>`: runs every connection check for one container and prints the
// report (plain text, Markdown or JSON). Exit status 1 when something blocks the connection.

import { parseArgs } from 'node:util';

import { parseTargetSpec } from '../aws/resolveTarget.js';
import {
  diagnose,
  isBlocking,
  renderReport,
  renderText,
  type DiagnoseTarget,
} from '../diagnose/index.js';

export const DOCTOR_USAGE = `Usage: ecs-ssh doctor TARGET --cluster NAME [options]

Checks everything a connection to the container needs: credentials, the cluster, the task
and its ECS Exec agent, the task definition, the task role and your own permissions, then
probes the container over Session Manager (installing nothing). Prints each problem with its
fix. Exit status 0 when nothing blocks the connection, 1 when something does or the checks
stopped early.

  --cluster NAME        ECS cluster name (required)
  --container NAME      container name (needed when the task has several)
  --profile NAME        AWS profile (default: the SDK's default chain)
  --region NAME         AWS region (default: AWS_REGION or the profile's region)
  --user NAME           login user to check for in the container (default root)
  --agent-wait S        seconds to wait for an ECS Exec agent still PENDING (default 60)
  --no-probe            skip the probe in the container
  --markdown            print the report as Markdown
  --json                print the results as JSON`;

export async function doctorCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const args = parseDoctorArgs(argv);
  if (args === 'help') {
    out(DOCTOR_USAGE);
    return 0;
  }
  const results = await diagnose(args.target, {
    agentWaitMs: args.waitSeconds * 1000,
    probe: args.probe,
    onProgress: (message) => void process.stderr.write(`ecs-ssh doctor: ${message}\n`),
  });
  const subject = `${args.targetText} in cluster "${args.target.cluster}"`;
  if (args.format === 'json') out(JSON.stringify(results, null, 2));
  else if (args.format === 'markdown') out(renderReport(results, subject));
  else out(renderText(results, subject));
  // Checks that stopped early cannot vouch for the connection either.
  return results.some((r) => isBlocking(r) || r.code === 'CHECKS_STOPPED') ? 1 : 0;
}

interface DoctorArgs {
  target: DiagnoseTarget;
  targetText: string;
  waitSeconds: number;
  probe: boolean;
  format: 'text' | 'markdown' | 'json';
}

function parseDoctorArgs(argv: string[]): DoctorArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      container: { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      user: { type: 'string', default: 'root' },
      'agent-wait': { type: 'string', default: '60' },
      'no-probe': { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1 || !values.cluster) {
    throw new Error('give one TARGET and --cluster; see ecs-ssh doctor --help.');
  }
  // Digits only, as the proxy takes them: "", "1e0" and "0x1" are not seconds.
  const text = values['agent-wait'] ?? '';
  const waitSeconds = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(waitSeconds <= 3600)) {
    throw new Error(
      `--agent-wait must be a whole number of seconds from 0 to 3600, not "${text}".`,
    );
  }
  const { cluster, container, profile, region, user } = values;
  const target = {
    cluster,
    container,
    profile,
    region,
    user,
    target: parseTargetSpec(positionals[0]),
  };
  const format = values.json ? 'json' : values.markdown ? 'markdown' : 'text';
  return { target, targetText: positionals[0], waitSeconds, probe: !values['no-probe'], format };
}

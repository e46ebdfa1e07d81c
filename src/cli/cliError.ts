// One sentence for a failed `ecs-ssh` command: what failed, with the name in quotes, and the
// fix. AWS and system errors that say neither are rewritten here.

import { credentialFailure } from '../diagnose/credentialChecks.js';

export interface CliContext {
  command: string;
  argv: string[];
}

export function describeCliError(error: unknown, context: CliContext): string {
  const name = (error as Error)?.name ?? '';
  const message = (error as Error)?.message ?? String(error);
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const flag = (option: string) => flagValue(context.argv, option);
  const region = flag('--region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const inRegion = region ? ` in region ${region}` : '';

  const credentials = credentialFailure(error, flag('--profile'));
  if (credentials && credentials.outcome === 'fail')
    return `${credentials.message} ${credentials.fix}`;
  if (name === 'ClusterNotFoundException') {
    return (
      `Cluster "${flag('--cluster') ?? 'default'}" was not found${inRegion}. Run "ecs-ssh ls" ` +
      `to list the clusters there.`
    );
  }
  if (name === 'ServiceNotFoundException' || code === 'SERVICE_NOT_FOUND') {
    const cluster = flag('--cluster') ?? 'default';
    return (
      `That service was not found in cluster "${cluster}". Run "ecs-ssh ls --cluster ` +
      `${cluster}" to list its services.`
    );
  }
  if (/region is missing/i.test(message)) {
    return 'No AWS region is set: pass --region, set AWS_REGION, or give your profile a region.';
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return `${message.replace(/\.?$/, '.')} See "ecs-ssh ${context.command} --help".`;
  }
  if (code === 'EISDIR' || code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR') {
    const path = (error as NodeJS.ErrnoException).path;
    return `Cannot use ${path ? `"${path}"` : 'that path'} (${code}): ${message}`;
  }
  return message;
}

function flagValue(argv: string[], option: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === option) return argv[i + 1];
    if (argv[i].startsWith(`${option}=`)) return argv[i].slice(option.length + 1);
  }
  return undefined;
}

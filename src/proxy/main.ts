// Entry point of dist/proxy.js, the ProxyCommand of our Host blocks. stdout carries SSH bytes
// only; every human line goes to stderr. Exit status 0 after a normal end, 1 on failure,
// 2 on bad arguments.

import { Redactor } from '../ssm/redact.js';
import { errorCode } from './proxyError.js';
import { parseProxyOptions, PROXY_USAGE } from './proxyOptions.js';
import { runProxy } from './runProxy.js';
import { stderrLog, PRODUCT } from './stepLog.js';

export async function proxyMain(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseProxyOptions(argv);
  } catch (error) {
    process.stderr.write(`${PRODUCT}: error BAD_ARGUMENTS: ${(error as Error).message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stderr.write(`${PROXY_USAGE}\n`);
    return 0;
  }

  const redactor = new Redactor();
  const log = stderrLog(options.verbose);
  const safeLog = { ...redactor.wrap(log), step: (m: string) => log.step(redactor.scrub(m)) };
  const abort = new AbortController();
  for (const signal of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => abort.abort());
  }
  process.stdout.on('error', () => abort.abort());

  try {
    await runProxy(
      options,
      { input: process.stdin, output: process.stdout, signal: abort.signal },
      safeLog,
    );
    return 0;
  } catch (error) {
    const message = redactor.scrub((error as Error).message ?? String(error));
    log.error(`${errorCode(error)}: ${message}`);
    return 1;
  }
}

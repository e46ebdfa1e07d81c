// Entry point of dist/proxy.js, the ProxyCommand of our Host blocks. stdout carries SSH bytes
// only; every human line goes to stderr. Exit status 0 after a normal end, 1 on failure,
// 2 on bad arguments.

import { explainFailure, renderLine } from '../diagnose/index.js';
import { Redactor } from '../ssm/redact.js';
import { errorCode } from './proxyError.js';
import { parseProxyOptions, PROXY_USAGE, type ProxyOptions } from './proxyOptions.js';
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
    const line = abort.signal.aborted ? undefined : await explain(error, options);
    const message = (error as Error).message ?? String(error);
    log.error(redactor.scrub(line ?? `${errorCode(error)}: ${message}`));
    return 1;
  }
}

const EXPLAIN_LIMIT_MS = 20_000;

/** The failed check and its fix, from the cheap checks; undefined if they cannot say. */
async function explain(error: unknown, options: ProxyOptions): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), EXPLAIN_LIMIT_MS).unref();
  });
  try {
    const found = await Promise.race([explainFailure(error, options), limit]);
    return found && renderLine(found);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

// Runs extension tests inside code-server's extension host: the page gets the development
// extensions and the tests in its payload, and the smoke-test driver reports the result through
// `codeAutomationExit` (0 passed, 1 failed) and the host's console through `codeAutomationLog`.

import type { Page } from 'playwright-core';

import type { CodeServer } from './codeServer.js';

export interface SuiteResult {
  code: number;
  log: string[];
}

export function remotePath(server: CodeServer, path: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}

/** The workbench URL that loads `extensions` for development (and `tests`, when given). */
export function workbenchUrl(server: CodeServer, extensions: string[], tests?: string): string {
  const payload: [string, string][] = extensions.map((path) => [
    'extensionDevelopmentPath',
    remotePath(server, path),
  ]);
  if (tests) payload.push(['extensionTestsPath', remotePath(server, tests)]);
  return `${server.url}/?payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function runSuite(
  page: Page,
  server: CodeServer,
  extensions: string[],
  tests: string,
): Promise<SuiteResult> {
  const log: string[] = [];
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    log.push(
      `${type}: ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`,
    );
  });
  const exit = new Promise<number>((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
  });
  await page.goto(workbenchUrl(server, extensions, tests));
  return { code: await exit, log };
}

// Debian's Chromium driven by playwright-core, with the launch flags of
// shared/docs/test-harness.md, a fresh temporary profile (Playwright makes one per launch), and
// every request that is not to loopback aborted.

import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.ECS_REMOTE_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  page: Page;
  /** Requests aborted because they were not to loopback. */
  blocked: string[];
  close(): Promise<void>;
}

export async function openPage(width = 1280, height = 800): Promise<BrowserSession> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const context = await browser.newContext({ viewport: { width, height } });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (isLoopback(url)) return route.continue();
    blocked.push(url.origin);
    return route.abort();
  });
  const page = await context.newPage();
  return {
    page,
    blocked,
    close: () => browser.close(),
  };
}

function isLoopback(url: URL): boolean {
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

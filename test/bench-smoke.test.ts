// The benchmark is not a test: no figure here has a threshold. This only proves that
// `npm run bench` works end to end, by running bench/main.ts in its smoke plan (every path once,
// tiny sizes) and checking that every section came out with figures.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { requireBundles, ROOT } from './support/e2e.js';

function runBench(out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', join(ROOT, 'bench', 'main.ts'), '--smoke', '--out', out];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test('the benchmark in its smoke plan writes every section with measured figures', async () => {
  requireBundles();
  const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-bench-smoke-'));
  try {
    const out = join(dir, 'benchmarks.md');
    const run = await runBench(out);
    assert.equal(run.code, 0, run.stderr);

    const text = readFileSync(out, 'utf8');
    for (const title of ['Machine', 'Connect', 'Throughput', 'The proxy process', 'Scale']) {
      assert.match(text, new RegExp(`^## ${title}$`, 'm'));
    }
    assert.match(text, /^## Footprint$/m);
    assert.match(text, /^## Data channel on loopback$/m);
    assert.match(text, /\| Warm, through our proxy +\| [\d,.]+ ms /);
    assert.match(text, /\| Cold, through our proxy +\| [\d,.]+ ms /);
    assert.match(text, /\| Upload, floor +\| [\d,.]+ MiB\/s /);
    assert.match(text, /\| `ecs-ssh ls --cluster big`: AWS API calls +\| [\d,]+ calls /);
    assert.match(
      text,
      /\| Tree model: expand `big` to every container: AWS API calls .*SimulatePrincipalPolicy \d+/,
    );
    assert.match(text, /\| Through client and emulator +\| [\d,.]+ MiB\/s /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

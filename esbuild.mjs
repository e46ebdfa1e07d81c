// Bundles the editor layer and the two command-line entry points into dist/.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'src/proxy/main.ts', out: 'proxy', external: [] },
  { in: 'src/cli/main.ts', out: 'cli', external: [] },
];

const production = process.argv.includes('--production');

for (const entry of entries.filter((e) => existsSync(e.in))) {
  await build({
    entryPoints: { [entry.out]: entry.in },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    external: entry.external,
    banner: entry.out === 'extension' ? undefined : { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
}

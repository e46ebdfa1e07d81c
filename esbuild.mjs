// Bundles the editor layer and the two command-line entry points into dist/.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const entries = [
  { in: 'src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'src/proxy/bin.ts', out: 'proxy', external: [] },
  { in: 'src/cli/bin.ts', out: 'cli', external: [] },
];

const production = process.argv.includes('--production');
// The sshd bootstrap script travels inside the bundles (see src/bootstrap/bootstrapCommand.ts).
const bootstrapScript = readFileSync('src/bootstrap/bootstrap.sh', 'utf8');

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
    define: { __BOOTSTRAP_SCRIPT__: JSON.stringify(bootstrapScript) },
    logLevel: 'warning',
  });
}

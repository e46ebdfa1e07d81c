// Footprint: bundle sizes as `npm run build` leaves them and as the production build ships them,
// extension activation (load and activate() against a stand-in vscode API, in plain node), and
// the .vsix size. The production build runs the project's own esbuild.mjs in a staging copy, so
// dist/ in the checkout is left as it is.

import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import type { Emulator } from '../test/emulator/index.js';
import { ROOT } from '../test/support/e2e.js';
import type { Plan } from './plan.js';
import { runOk } from './processes.js';
import type { Figure, Section } from './report.js';

const BUNDLES = ['extension', 'proxy', 'cli'];
const STAGED = [
  'package.json',
  'README.md',
  'LICENSE',
  '.vscodeignore',
  'esbuild.mjs',
  'media',
  'src',
];
const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

const kib = (bytes: number) => bytes / 1024;

/** A copy of what packaging needs, with the production bundles built in it. */
function stage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-bench-package-'));
  for (const name of STAGED) {
    if (existsSync(join(ROOT, name)))
      cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`production build failed: ${build.stderr}`);
  return dir;
}

function bundleFigures(dir: string, build: string): Figure[] {
  return BUNDLES.filter((name) => existsSync(join(dir, 'dist', `${name}.js`))).flatMap((name) => {
    const bytes = readFileSync(join(dir, 'dist', `${name}.js`));
    const figures: Figure[] = [
      {
        label: `dist/${name}.js, ${build}`,
        samples: [kib(bytes.length)],
        unit: 'KiB',
        method: 'file size',
      },
    ];
    if (build === 'production') {
      const gzip = kib(gzipSync(bytes, { level: 9 }).length);
      figures.push({
        label: `dist/${name}.js, production, gzip -9`,
        samples: [gzip],
        unit: 'KiB',
        method: 'zlib level 9',
      });
    }
    return figures;
  });
}

async function activation(extension: string, endpoint: string, runs: number) {
  const load: number[] = [];
  const activate: number[] = [];
  let error: string | undefined;
  for (let i = 0; i < runs && !error; i += 1) {
    const done = await runOk(
      process.execPath,
      [join(__dirname, 'activateStub.mjs'), extension],
      endpoint,
    );
    const result = JSON.parse(done.stdout.toString()) as {
      loadMs?: number;
      activateMs?: number;
      error?: string;
    };
    if (result.error) error = result.error;
    else {
      load.push(result.loadMs as number);
      activate.push(result.activateMs as number);
    }
  }
  return { load, activate, error };
}

function packageVsix(dir: string): { bytes?: number; error?: string } {
  const out = join(dir, 'bench.vsix');
  const args = [
    VSCE,
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
  ];
  const run = spawnSync(process.execPath, [...args, '--no-rewrite-relative-links', '--out', out], {
    cwd: dir,
    encoding: 'utf8',
    input: '',
  });
  if (run.status !== 0)
    return { error: `vsce package failed: ${(run.stderr || run.stdout).trim().split('\n').pop()}` };
  return { bytes: statSync(out).size };
}

const ACTIVATION_METHOD =
  'production bundle in plain node with a stand-in `vscode` module (bench/activateStub.mjs), a fresh process per run; a real extension host adds its own work';

function vsixFigure(plan: Plan, dir: string, present: boolean): Figure {
  const vsix = !present
    ? { error: 'src/extension.ts is not in this checkout' }
    : !plan.packageVsix
      ? { error: 'skipped in smoke mode' }
      : existsSync(VSCE)
        ? packageVsix(dir)
        : { error: '@vscode/vsce is not installed' };
  const method = 'file size of `vsce package` output';
  const samples = vsix.bytes ? [kib(vsix.bytes)] : [];
  return { label: '.vsix', samples, unit: 'KiB', method, missing: vsix.error };
}

async function activationFigures(
  emulator: Emulator,
  extension: string,
  runs: number,
): Promise<Figure[]> {
  const present = existsSync(extension);
  const before = emulator.apiCalls.length;
  const active = present ? await activation(extension, emulator.endpoint, runs) : undefined;
  const calls = (emulator.apiCalls.length - before) / Math.max(1, active?.load.length ?? 1);
  const missing = !present
    ? 'src/extension.ts is not in this checkout'
    : active?.error && `activate() failed against the stand-in: ${active.error}`;
  const figure = (label: string, samples: number[], unit: Figure['unit'], method: string) => ({
    label,
    samples: missing ? [] : samples,
    unit,
    method,
    missing: missing || undefined,
  });
  return [
    figure('Activation: load the bundle', active?.load ?? [], 'ms', ACTIVATION_METHOD),
    figure('Activation: activate()', active?.activate ?? [], 'ms', ACTIVATION_METHOD),
    figure('Activation: AWS API calls', [calls], 'calls', 'counted by the emulator, per run'),
  ];
}

const FOOTPRINT_LEAD =
  'Sizes of the bundles as `npm run build` leaves them in dist/ (not minified; source maps are' +
  ' separate files and not counted), and as `node esbuild.mjs --production` builds them' +
  ' (minified), which is what the .vsix ships. The production build and the .vsix are made in' +
  ' a staging copy of package.json, README, media, .vscodeignore and src; the .vsix by `vsce' +
  ' package --no-dependencies`. Activation: `require()` of the production extension bundle,' +
  ' then `activate()` with a stand-in API: every setting at its default, AWS_REGION=eu-west-1,' +
  ' every AWS endpoint the emulator, and no view that asks the tree for rows.';

export async function measureFootprint(plan: Plan, emulator: Emulator): Promise<Section> {
  const dir = stage();
  try {
    const extension = join(dir, 'dist', 'extension.js');
    return {
      title: 'Footprint',
      lead: [FOOTPRINT_LEAD],
      figures: [
        ...bundleFigures(ROOT, 'npm run build'),
        ...bundleFigures(dir, 'production'),
        vsixFigure(plan, dir, existsSync(extension)),
        ...(await activationFigures(emulator, extension, plan.footprintRuns)),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

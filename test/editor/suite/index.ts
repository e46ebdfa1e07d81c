// The editor suite's entry inside the extension host: VS Code calls `run()`; mocha runs the
// suite and the promise fails when a test does, which the host turns into exit code 1.

import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 240_000 });
  mocha.suite.emit('pre-require', globalThis, 'editor-suite', mocha);
  await import('./connect.suite.js');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} editor test(s) failed`);
}

// dist/proxy.js: what the ProxyCommand of a Host block runs.

import { proxyMain } from './main.js';

proxyMain(process.argv.slice(2)).then(
  (status) => process.stdout.write('', () => process.exit(status)),
  () => process.exit(1),
);

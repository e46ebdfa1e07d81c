// dist/proxy.js: what the ProxyCommand of a Host block runs.

import { proxyMain } from './main.js';

// The SDK's notice about future Node versions would be noise in ssh's and the editor's logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

proxyMain(process.argv.slice(2)).then(
  (status) => process.stdout.write('', () => process.exit(status)),
  () => process.exit(1),
);

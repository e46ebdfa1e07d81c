// dist/cli.js: the `ecs-ssh` command.

import { cliMain } from './main.js';

cliMain(process.argv.slice(2)).then(
  (status) => process.stdout.write('', () => process.exit(status)),
  () => process.exit(1),
);
